#!/usr/bin/env bash
# make stick's layout (packaging/stick.sh): both folders and both .debs, a README in
# Chinese, a checksum list that sha256sum -c accepts and that notices a damaged file;
# written twice, the same; a folder on the stick runs from there.
. "$(dirname "$0")/../lib.sh"

DIST=$ROOT/build/dist
VERSION=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
S=$T_TMP/stick/tianbao
mkdir -p "$T_TMP/stick"
echo "不是 tianbao 的文件" >"$T_TMP/stick/other.txt"

run sh -c "cd '$ROOT' && packaging/stick.sh '$S' '$DIST' $VERSION amd64 arm64"
expect_rc "the stick written" 0
for f in tianbao-amd64/tianbao tianbao-arm64/tianbao tianbao-amd64/forms/units.ini tianbao-arm64/README.txt \
	tianbao_${VERSION}_amd64.deb tianbao_${VERSION}_arm64.deb README.txt SHA256SUMS; do
	check "on the stick: $f" test -f "$S/$f"
done
readme=$(cat "$S/README.txt")
expect_match "the README says how to tell the processor" "$readme" "uname -m"
expect_match "... how to run from the stick" "$readme" "\./tianbao"
expect_match "... how to install" "$readme" "sudo dpkg -i tianbao_${VERSION}_amd64\.deb"
expect_match "... how to check the files" "$readme" "sha256sum -c SHA256SUMS"
run sh -c "cd '$S' && sha256sum -c --quiet SHA256SUMS"
expect_rc "sha256sum -c: every file as listed" 0
expect_eq "the checksums cover every file" "$(wc -l <"$S/SHA256SUMS")" "$(cd "$S" && find . -type f ! -name SHA256SUMS | wc -l)"
expect_eq "the stick's other files untouched" "$(cat "$T_TMP/stick/other.txt")" "不是 tianbao 的文件"
first=$(cat "$S/SHA256SUMS")
run sh -c "cd '$ROOT' && packaging/stick.sh '$S' '$DIST' $VERSION amd64 arm64"
expect_eq "written again: the same files" "$(cat "$S/SHA256SUMS")" "$first"
printf 'x' >>"$S/tianbao-amd64/forms/units.ini"
run sh -c "cd '$S' && sha256sum -c --quiet SHA256SUMS"
expect_rc "a damaged file: sha256sum -c fails" 1
expect_match "... naming it" "$OUT$ERR" "tianbao-amd64/forms/units.ini"

run env -i TERM=xterm LANG=C.UTF-8 HOME="$T_TMP" "$S/tianbao-arm64/../tianbao-amd64/tianbao" --version
expect_match "the folder runs from the stick, with its own forms" "$OUT" "$S/tianbao-amd64/forms"

done_testing
