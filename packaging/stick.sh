#!/bin/sh
# stick.sh DEST DIST VERSION ARCH... - what a trainer copies to a stick, in DEST: the
# folder of each processor (runs without installing), each .deb, a README in Chinese,
# and SHA256SUMS of every file. DEST is written anew (its tianbao parts; nothing else in
# it is touched).
set -eu
dest=$1 dist=$2 version=$3
shift 3

mkdir -p "$dest"
for a in "$@"; do
	rm -rf "$dest/tianbao-$a"
	cp -r "$dist/tianbao-$a" "$dest/tianbao-$a"
	cp "$dist/tianbao_${version}_$a.deb" "$dest/"
done
sed -e "s/@VERSION@/$version/g" packaging/README.stick.txt >"$dest/README.txt"
(cd "$dest" && find . -type f ! -name SHA256SUMS ! -name SHA256SUMS.tmp | LC_ALL=C sort | sed 's|^\./||' | xargs sha256sum) >"$dest/SHA256SUMS.tmp"
mv "$dest/SHA256SUMS.tmp" "$dest/SHA256SUMS"
echo "$dest: $(wc -l <"$dest/SHA256SUMS") files, checked by: cd $dest && sha256sum -c SHA256SUMS"
