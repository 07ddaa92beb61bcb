/* demo_script.h - the demo township's script built into the binary (build/gen/demo_script.c
 * is made by the Makefile from db/demo.tb), so that an installed or a copied tianbao can
 * build its demo without any file beside it. */
#ifndef TIANBAO_DEMO_SCRIPT_H
#define TIANBAO_DEMO_SCRIPT_H

extern const char demo_script[];

#endif
