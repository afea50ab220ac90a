#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# VM test tier: the static odrescue on REAL ports (ioperm/inb/outb) inside a
# QEMU PC (PIIX IDE) running Debian's own kernel, with no ATA driver loaded,
# then again after the driver modules are loaded.
#
#   tests/vm/run.sh            fetch (cached), build, boot, check the serial log
#
# Environment:
#   ODRESCUE_VM_CACHE=DIR      where the kernel/busybox .debs and the unpacked
#                              trees are kept (default build/vm)
#   ODRESCUE_REQUIRE_QEMU=1    a missing qemu/apt/network is a failure, not a SKIP
#   ODRESCUE_VM_TIMEOUT=S      seconds before the VM is killed (default 120)
#   ODRESCUE_VM_KEEP=1         keep the generated initramfs tree (for debugging)
#   ODRESCUE_VM_BIN=FILE       test this static binary instead of building
#                              odrescue-x86_64 with make
#
# The guest's /init prints one marker line per check:
#   VMTEST PASS name | VMTEST FAIL name: reason | VMTEST INFO ... | VMTEST DONE
# and the host turns them into "N passed, M failed". The log is kept in
# $OUT/last.log (build/vm/last.log).
set -u -o pipefail

cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
CACHE=${ODRESCUE_VM_CACHE:-$ROOT/build/vm}
OUT=$ROOT/build/vm
TIMEOUT=${ODRESCUE_VM_TIMEOUT:-120}
REQUIRE=${ODRESCUE_REQUIRE_QEMU:-0}
mkdir -p "$CACHE" "$OUT"
CACHE=$(cd "$CACHE" && pwd)

say() { echo "vm: $*"; }
skip() {
	if [ "$REQUIRE" = 1 ]; then
		echo "vm: FAIL (ODRESCUE_REQUIRE_QEMU=1): $*"
		exit 1
	fi
	echo "vm: SKIP: $*"
	exit 0
}

t0=$(date +%s.%N)

# ---- 1. tools ---------------------------------------------------------------
for tool in qemu-system-x86_64 cpio gzip dpkg-deb; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found (make deps installs qemu-system-x86 and cpio)"
done

# ---- 2. kernel and busybox from Debian's packages (cached) -----------------
# fetch PKG: the .deb of PKG in $CACHE/debs, downloaded once.
fetch() {
	local pkg=$1 deb
	mkdir -p "$CACHE/debs"
	deb=$(ls "$CACHE/debs/${pkg}"_*.deb 2>/dev/null | head -n1)
	if [ -z "$deb" ]; then
		command -v apt-get >/dev/null 2>&1 || return 1
		(cd "$CACHE/debs" && apt-get download "$pkg" >"$CACHE/debs/$pkg.log" 2>&1) || {
			sed 's/^/vm:   /' "$CACHE/debs/$pkg.log" | tail -n 5 >&2
			return 1
		}
		deb=$(ls "$CACHE/debs/${pkg}"_*.deb 2>/dev/null | head -n1)
	fi
	[ -n "$deb" ] && printf '%s\n' "$deb"
}

# unpack DEB DIR: dpkg-deb -x once (a stamp file marks a complete unpack).
unpack() {
	local deb=$1 dir=$2
	if [ ! -e "$dir/.unpacked" ] || [ "$(cat "$dir/.unpacked")" != "$(basename "$deb")" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		dpkg-deb -x "$deb" "$dir" || return 1
		basename "$deb" >"$dir/.unpacked"
	fi
}

# The kernel package linux-image-amd64 points at (linux-image-6.1.0-NN-amd64);
# remembered in the cache so a later offline run still finds it.
KPKG=
if command -v apt-cache >/dev/null 2>&1; then
	KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n1)
fi
if [ -z "$KPKG" ] && [ -s "$CACHE/kernel.pkg" ]; then
	KPKG=$(cat "$CACHE/kernel.pkg")
fi
[ -n "$KPKG" ] || skip "apt-cache does not know linux-image-amd64 (no apt, or run apt-get update)"
echo "$KPKG" >"$CACHE/kernel.pkg"

KDEB=$(fetch "$KPKG") || skip "cannot download $KPKG (no network or no apt)"
BDEB=$(fetch busybox-static) || skip "cannot download busybox-static (no network or no apt)"
unpack "$KDEB" "$CACHE/kernel" || skip "dpkg-deb -x $KDEB failed"
unpack "$BDEB" "$CACHE/busybox" || skip "dpkg-deb -x $BDEB failed"

# Peer tools as oracles: sg_inq (sg3-utils) and hdparm from Debian's packages,
# with the libc they link; without them that comparison is skipped, not failed.
PEERS=1
SGLIB=$(apt-cache depends sg3-utils 2>/dev/null | sed -n 's/^ *Depends: *\(libsgutils2[^ ]*\).*/\1/p' | head -n1)
[ -n "$SGLIB" ] || SGLIB=$(cat "$CACHE/sglib.pkg" 2>/dev/null)
[ -n "$SGLIB" ] && echo "$SGLIB" >"$CACHE/sglib.pkg"
for pkg in libc6 "$SGLIB" sg3-utils hdparm; do
	deb=$( [ -n "$pkg" ] && fetch "$pkg") && unpack "$deb" "$CACHE/peer/$pkg" || {
		PEERS=0
		say "no ${pkg:-libsgutils2} package: the sg_inq/hdparm comparison is skipped"
		break
	}
done

VMLINUZ=$(ls "$CACHE"/kernel/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -n "$VMLINUZ" ] || skip "no vmlinuz in $KDEB"
KVER=${VMLINUZ##*/vmlinuz-}
MODDIR=$(ls -d "$CACHE"/kernel/lib/modules/"$KVER" "$CACHE"/kernel/usr/lib/modules/"$KVER" 2>/dev/null | head -n1)
[ -n "$MODDIR" ] || skip "no modules for $KVER in $KDEB"
BUSYBOX=$CACHE/busybox/bin/busybox
[ -x "$BUSYBOX" ] || skip "no bin/busybox in $BDEB"

# ---- 3. the static binary ---------------------------------------------------
BIN=${ODRESCUE_VM_BIN:-}
if [ -z "$BIN" ]; then
	say "building odrescue-x86_64 (static)"
	make -s odrescue-x86_64 >"$OUT/make.log" 2>&1 || {
		cat "$OUT/make.log"
		echo "vm: FAIL: make odrescue-x86_64"
		echo "vm: 0 passed, 1 failed"
		exit 1
	}
	BIN=$ROOT/odrescue-x86_64
	# what make static puts on the stick: no symbols, they are in the .debug file
	if command -v file >/dev/null 2>&1 && { ! file -L "$BIN" | grep -q ', stripped' ||
		! file -L "$BIN.debug" | grep -q 'with debug_info'; }; then
		file -L "$BIN" "$BIN.debug"
		echo "vm: FAIL: make odrescue-x86_64 is not stripped, or its symbols are not kept in $BIN.debug"
		echo "vm: 0 passed, 1 failed"
		exit 1
	fi
fi
# The raw-read timer for the raw/kernel PIO comparison (make bench prints the ratio).
RAWREAD=
if make -s build/rawread-x86_64 >>"$OUT/make.log" 2>&1; then
	RAWREAD=$ROOT/build/rawread-x86_64
else
	say "could not build build/rawread-x86_64: the read comparison is skipped"
fi
# The SG_IO ATA PASS-THROUGH probe: taskfile_sat.c against the real libata.
SATPROBE=
if make -s build/satprobe-x86_64 >>"$OUT/make.log" 2>&1; then
	SATPROBE=$ROOT/build/satprobe-x86_64
else
	say "could not build build/satprobe-x86_64: the ATA PASS-THROUGH checks are skipped"
fi
# The per-command timer: a non-data command through each taskfile transport (make bench prints it).
TFBENCH=
if make -s build/tfbench-x86_64 >>"$OUT/make.log" 2>&1; then
	TFBENCH=$ROOT/build/tfbench-x86_64
else
	say "could not build build/tfbench-x86_64: the per-command timings are skipped"
fi
if command -v file >/dev/null 2>&1 && ! file -L "$BIN" | grep -q 'statically linked'; then
	echo "vm: FAIL: $BIN is not statically linked"
	echo "vm: 0 passed, 1 failed"
	exit 1
fi

# ---- 4. initramfs -----------------------------------------------------------
IR=$OUT/initramfs
rm -rf "$IR"
mkdir -p "$IR"/{bin,sbin,proc,sys,dev,tmp,mods}
cp "$BUSYBOX" "$IR/bin/busybox"
ln -s busybox "$IR/bin/sh"	# /init installs the other applets
cp "$BIN" "$IR/bin/odrescue"
[ -n "$RAWREAD" ] && cp "$RAWREAD" "$IR/bin/rawread"
[ -n "$SATPROBE" ] && cp "$SATPROBE" "$IR/bin/satprobe"
[ -n "$TFBENCH" ] && cp "$TFBENCH" "$IR/bin/tfbench"
# Only drivers/{ata,scsi,cdrom}: the whole tree makes the initramfs too big.
# Modules are stored uncompressed so busybox insmod needs no decompressor.
for sub in ata scsi cdrom; do
	src=$MODDIR/kernel/drivers/$sub
	[ -d "$src" ] || continue
	(cd "$MODDIR/kernel/drivers" && find "$sub" -name '*.ko*') | while read -r m; do
		mkdir -p "$IR/mods/$(dirname "$m")"
		case $m in
		*.ko.xz) xz -dc "$src/../$m" >"$IR/mods/${m%.xz}" ;;
		*.ko.zst) zstd -qdc "$src/../$m" >"$IR/mods/${m%.zst}" ;;
		*.ko.gz) gzip -dc "$src/../$m" >"$IR/mods/${m%.gz}" ;;
		*) cp "$src/../$m" "$IR/mods/$m" ;;
		esac
	done
done
if [ "$PEERS" = 1 ]; then
	P=$CACHE/peer
	mkdir -p "$IR/lib/x86_64-linux-gnu" "$IR/lib64" "$IR/usr/bin"
	cp "$P/libc6/lib/x86_64-linux-gnu/libc.so.6" "$P/libc6/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
		"$IR/lib/x86_64-linux-gnu/"
	ln -s /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$IR/lib64/ld-linux-x86-64.so.2"
	cp -P "$P/$SGLIB"/usr/lib/x86_64-linux-gnu/libsgutils2* "$IR/lib/x86_64-linux-gnu/"
	cp "$P/sg3-utils/usr/bin/sg_inq" "$P/hdparm/sbin/hdparm" "$IR/usr/bin/"
fi
cp tests/vm/init.sh "$IR/init"
cp tests/vm/init_q35.sh "$IR/init_q35"
chmod 755 "$IR/init"
(cd "$IR" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$OUT/initrd.cpio.gz" ||
	{ echo "vm: FAIL: cpio"; echo "vm: 0 passed, 1 failed"; exit 1; }
[ "${ODRESCUE_VM_KEEP:-0}" = 1 ] || rm -rf "$IR"

# Media: a small raw disk at index 0 (primary master) and a small raw CD
# medium at index 2 (secondary master).
truncate -s 8M "$OUT/disk.img"
truncate -s 8M "$OUT/cd.iso"	# 8 MiB: the raw/kernel read comparison

# ---- 5. boot ----------------------------------------------------------------
# Twice: a PC (PIIX IDE: disk primary master, CD secondary master), then a q35
# (ICH9 AHCI: disk on port 0, CD on port 2, odrtest=q35 selects init_q35).
t1=$(date +%s.%N)
LOG=$OUT/last.log
: >"$LOG"
qrc=0
for machine in pc q35; do
	say "booting $KVER on -machine $machine under TCG (timeout ${TIMEOUT}s)"
	if [ $machine = pc ]; then
		media=(-drive file="$OUT/disk.img",if=ide,index=0,media=disk,format=raw
		       -drive file="$OUT/cd.iso",if=ide,index=2,media=cdrom,format=raw)
		append="console=ttyS0 quiet panic=-1"
	else
		media=(-drive file="$OUT/disk.img",if=none,id=hd,format=raw -device ide-hd,drive=hd,bus=ide.0
		       -drive file="$OUT/cd.iso",if=none,id=cd,media=cdrom,format=raw -device ide-cd,drive=cd,bus=ide.2)
		append="console=ttyS0 quiet panic=-1 odrtest=q35"
	fi
	timeout --foreground -k 5 "$TIMEOUT" qemu-system-x86_64 \
		-machine $machine -accel tcg -m 512 -nographic -no-reboot -nodefaults \
		-serial stdio -monitor none \
		-kernel "$VMLINUZ" -initrd "$OUT/initrd.cpio.gz" \
		-append "$append" "${media[@]}" \
		</dev/null 2>&1 | tr -d '\r' >>"$LOG"
	rc=${PIPESTATUS[0]}
	[ "$qrc" = 0 ] && qrc=$rc
done
t2=$(date +%s.%N)

# ---- 6. verdict -------------------------------------------------------------
grep -E '^(VMTEST|  )' "$LOG" | grep -v '^VMTEST DONE' || true
pass=$(grep -c '^VMTEST PASS ' "$LOG")
fail=$(grep -c '^VMTEST FAIL ' "$LOG")
done_=$(grep -c '^VMTEST DONE' "$LOG")	# one per boot
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	echo "vm: FAIL: the VM did not power off within ${TIMEOUT}s"
	fail=$((fail + 1))
elif [ "$done_" != 2 ]; then
	echo "vm: FAIL: $done_ of 2 boots reached VMTEST DONE (qemu exit $qrc); last lines:"
	tail -n 20 "$LOG" | sed 's/^/vm:   /'
	fail=$((fail + 1))
fi
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "vm: prepare %.1f s, boot+tests %.1f s; log in build/vm/last.log\n", b - a, c - b }'
echo "vm: $pass passed, $fail failed"
[ "$LOG" -ef "$ROOT/build/vm/last.log" ] || cp "$LOG" "$ROOT/build/vm/last.log"
[ "$fail" = 0 ]
