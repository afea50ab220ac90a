#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the VM test tier (tests/vm/run.sh): busybox sh, PID 1, root.
# Every check prints one marker line on the serial console:
#   VMTEST PASS name | VMTEST FAIL name: reason | VMTEST INFO text | VMTEST DONE
# Command output is echoed indented by two spaces so the host can show it.
export PATH=/bin:/sbin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
echo	# the firmware's escape sequences end without a newline

pass() { echo "VMTEST PASS $1"; }
fail() { echo "VMTEST FAIL $1: $2"; }
info() { echo "VMTEST INFO $*"; }
# uptime in hundredths of a second
uptime_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }

# run NAME CMD...: run CMD, keep its output in $OUTP and exit code in $RC.
run() {
	name=$1; shift
	s0=$(uptime_cs)
	OUTP=$("$@" 2>&1)
	RC=$?
	echo "  \$ $* (exit $RC, $(( ($(uptime_cs) - s0) * 10 )) ms)"
	printf '%s\n' "$OUTP" | sed 's/^/  | /'
}
# has TEXT: does the last output contain TEXT (fixed string)?
has() { printf '%s\n' "$OUTP" | grep -qF -- "$1"; }
# expect NAME RC TEXT...: exit code RC and every TEXT in the output.
expect() {
	n=$1; want=$2; shift 2
	if [ "$RC" != "$want" ]; then
		fail "$n" "exit $RC, expected $want"
		return
	fi
	for t in "$@"; do
		if ! has "$t"; then
			fail "$n" "output lacks \"$t\""
			return
		fi
	done
	pass "$n"
}
# tfbench NAME ARGS...: time non-data commands through one taskfile transport
# (tests/tools/tfbench.c): SET FEATURES 66h, which QEMU's CD completes, and
# CHECK POWER MODE, which it aborts; the figures become info lines, a run
# where every answer was the expected one a pass.
tfbench() {
	n=$1; shift
	run "$n" /bin/tfbench "$@"
	printf '%s\n' "$OUTP" | sed -n 's/^tfbench: \(.*median.*\)/\1/p' | while IFS= read -r l; do info "cost: $l"; done
	expect "$n" 0 "every SET FEATURES 66h answered status 50h error 00h" \
		"every CHECK POWER MODE answered status 41h error 04h"
}

info "kernel $(cat /proc/sys/kernel/osrelease), /init started at $(cut -d' ' -f1 /proc/uptime) s uptime"
# The q35 boot (ICH9 AHCI) runs its own checks: tests/vm/init_q35.sh.
if grep -q 'odrtest=q35' /proc/cmdline; then
	. /init_q35
fi

# ---- no kernel ATA driver: the ports belong to nobody but the PCI function --
if grep -q 'ata_piix\|libata' /proc/modules 2>/dev/null; then
	fail no-driver "an ATA driver is already loaded"
else
	pass no-driver
fi
info "ioports before any driver:"
grep -iE '01f[0-7]|017[0-7]|03f6|0376|ide|ata' /proc/ioports | sed 's/^/  | /'

run scan odrescue scan
expect scan 0 \
	"1 primary master   ATA disk 'QEMU HARDDISK'" \
	"2 primary slave    none" \
	"3 secondary master ATAPI CD/DVD 'QEMU DVD-ROM'" \
	"4 secondary slave  none" \
	"PCI IDE controllers (sysfs):" \
	"0000:00:01.1 8086:7010 class 010180 no driver; data 32-bit (ids of ata_piix)" \
	"primary   legacy 0x1f0/0x3f6   owner none       positions 1, 2" \
	"secondary legacy 0x170/0x376   owner none       positions 3, 4"

run identify3 odrescue identify 3
expect identify-3 0 "model            'QEMU DVD-ROM'" "ATAPI CD/DVD" "INQUIRY          vendor 'QEMU    ' product 'QEMU DVD-ROM    '"

# Least privilege: ports granted, then no capability and no_new_privs; port I/O still works.
run identify3-dropped odrescue -v identify 3
expect identify-after-privilege-drop 0 "all capabilities dropped" "model            'QEMU DVD-ROM'"

# 32-bit data transfers on a channel of the PIIX, as ata_piix does; 16-bit on request, same answers.
run identify3-pio16 odrescue -p ioport:pio32=0 -v identify 3
expect identify-3-pio16 0 "model            'QEMU DVD-ROM'" "serial           'QM00003'"
PIO16=$(printf '%s\n' "$OUTP" | grep -E "^ +(model|serial|firmware|INQUIRY) ")
has "data port:" && fail identify-3-pio16-no-auto "a given pio32= was overridden"
run identify3-pio32 odrescue -v identify 3
expect identify-3-pio32 0 "data port: 32-bit: PCI IDE controller 0000:00:01.1 (8086:7010, ata_piix) decodes ports 170-177"
if [ -n "$PIO16" ] && [ "$PIO16" = "$(printf '%s\n' "$OUTP" | grep -E "^ +(model|serial|firmware|INQUIRY) ")" ]; then
	pass identify-3-pio32-same-as-pio16
else
	fail identify-3-pio32-same-as-pio16 "16-bit [$PIO16]"
fi

run identify1 odrescue identify 1
expect identify-1 0 "ATA disk 'QEMU HARDDISK'" "model            'QEMU HARDDISK'"

# Never a vendor command to an ATA disk: refused (exit 5) before any write.
run chip1 odrescue chip 1
expect chip-1-refused 5 "refused"

run identify1-after odrescue identify 1
expect disk-alive-after-chip-1 0 "model            'QEMU HARDDISK'"

# regs sends no command: after IDENTIFY/INQUIRY the byte-count registers hold
# whatever the last packet command left, so only the layout is checked here...
run regs3 odrescue regs 3
expect regs-3 0 "command block 0x170, control 0x376" "device   0xa0  (device 0 selected)"

run reset3 odrescue reset 3
expect reset-3 0 "Soft reset of the channel at 0x170/0x376" "master: atapi" "signature 14/eb"

# ...and right after a reset the ATAPI signature must be there.
run regs3-after odrescue regs 3
expect regs-3-after-reset 0 "signature 14/eb: atapi"

run identify3-after odrescue identify 3
expect identify-3-after-reset 0 "model            'QEMU DVD-ROM'"

run json odrescue --json scan
expect scan-json 0 "QEMU DVD-ROM" "QEMU HARDDISK" '"pci": "0000:00:01.1"' '"mode": "legacy"' '"owner": null'

# Bad positions and missing devices: the right exit codes on real ports.
run pos9 odrescue identify 9
expect identify-bad-position 1
run pos4 odrescue identify 4
expect identify-empty-position 2

# One odrescue per channel: a wait on the empty primary slave holds the
# primary channel (lock files in /tmp: this initramfs has no /run/lock).
odrescue wait 2 --timeout 5 >/dev/null 2>&1 &
holder=$!
i=0
while [ ! -s /tmp/odrescue-0x1f0.lock ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
run lock-scan odrescue scan
expect channel-locked 4 "channel 0x1f0 is in use by odrescue pid $holder (odrescue wait 2 --timeout 5, since "
run lock-other-channel odrescue identify 3
expect other-channel-free 0 "model            'QEMU DVD-ROM'"
kill -9 $holder
wait $holder 2>/dev/null
run lock-stale odrescue scan
expect killed-holder-does-not-block 0 "1 primary master"

# What one vendor byte costs on the raw path: a non-data command through
# taskfile_raw.c (no driver on the channel), against one inb of Status.
[ -x /bin/tfbench ] && tfbench tfbench-raw raw 3 2000 200

# ---- with the kernel driver loaded ------------------------------------------
ok=1
for m in scsi/scsi_common scsi/scsi_mod ata/libata ata/ata_piix cdrom/cdrom scsi/sr_mod scsi/sg; do
	if [ ! -e /mods/$m.ko ]; then
		info "module $m.ko not in the initramfs (built in?)"
		continue
	fi
	# insmod does not read module options from the kernel command line: PIO only, as the
	# kernel-side half of the raw/kernel read comparison needs
	opt=; [ "$m" = ata/libata ] && opt=dma=0
	out=$(insmod /mods/$m.ko $opt 2>&1) || { fail "insmod-$(basename $m)" "$out"; ok=0; }
done
[ $ok = 1 ] && pass insmod-ata-piix
# the driver probes asynchronously: give it a moment to find the drives
i=0
while [ ! -e /dev/sr0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ -e /dev/sr0 ]; then pass driver-sr0; else fail driver-sr0 "no /dev/sr0 after loading ata_piix"; fi
info "ioports with ata_piix:"
grep -iE '01f[0-7]|017[0-7]|03f6|0376|ide|ata' /proc/ioports | sed 's/^/  | /'

# The kernel's own path first, while the driver's view of the channel is intact.
run scan-atapi odrescue scan --atapi
info "scan --atapi with ata_piix loaded: exit $RC"
if [ -e /dev/sr0 ]; then
	run sg-identify odrescue -p sg identify /dev/sr0
	info "-p sg identify /dev/sr0: exit $RC"
fi

# ATA PASS-THROUGH(16) through the real libata (taskfile_sat.c): the intro that QEMU's drive aborts
# (ERR: libata's error handler runs, the registers come back in fixed-format sense), SET
# FEATURES 66h (no ERR: descriptor format), IDENTIFY PACKET; the drive reads on afterwards.
if [ -x /bin/satprobe ] && [ -e /dev/sr0 ]; then
	run sat-probe /bin/satprobe /dev/sr0
	expect sat-registers-from-libata 0 \
		"80h/2Ah: ERR, status 41h error 04h" "lbal 2Ah" \
		"EFh/66h: done, status 50h" \
		"A1h: done, model 'QEMU DVD-ROM'"
	run sat-then-read dd if=/dev/sr0 of=/dev/null bs=2048 count=16
	expect sr0-reads-after-sat-probe 0 "16+0 records in"
fi

# Peer tools as oracles: what sg_inq and hdparm -I read through the kernel.
trim() { sed 's/^[[:space:]]*//; s/[[:space:]]*$//'; }
field() { printf '%s\n' "$OUTP" | sed -n "s/^[[:space:]]*$1[[:space:]]*//p" | head -n1 | trim; }
# inq N: the Nth bracketed INQUIRY field of odrescue's "INQUIRY [v][p][r]" line, trimmed
inq() { printf '%s\n' "$OUTP" | sed -n 's/.*INQUIRY \[\([^]]*\)\]\[\([^]]*\)\]\[\([^]]*\)\].*/\'"$1"'/p' | head -n1 | trim; }
PEERS=0
if [ -x /usr/bin/sg_inq ] && [ -x /usr/bin/hdparm ] && [ -e /dev/sr0 ]; then
	PEERS=1
	run peer-sg-inq /usr/bin/sg_inq /dev/sr0
	SG_V=$(field 'Vendor identification:'); SG_P=$(field 'Product identification:')
	SG_R=$(field 'Product revision level:')
	# hdparm -I sends IDENTIFY DEVICE, which an ATAPI drive aborts (all zeros through
	# sr); the kernel keeps the drive's IDENTIFY PACKET words in sysfs, which hdparm
	# decodes with --Istdin.
	for id in /sys/class/ata_device/*/id; do
		run peer-hdparm sh -c "/usr/bin/hdparm --Istdin < $id"
		has "ATAPI CD-ROM" && break
	done
	HD_M=$(field 'Model Number:'); HD_S=$(field 'Serial Number:'); HD_F=$(field 'Firmware Revision:')
	run odr-sg-identify odrescue -p sg identify /dev/sr0
	OS_V=$(inq 1); OS_P=$(inq 2); OS_R=$(inq 3)
	# IDENTIFY PACKET DEVICE as odrescue reads it through SG_IO (ATA PASS-THROUGH(16))
	OS_M=$(field "model" | sed "s/^'\(.*\)'$/\1/"); OS_S=$(field "serial" | sed "s/^'\(.*\)'$/\1/")
	OS_F=$(field "firmware" | sed "s/^'\(.*\)'$/\1/")
	if [ -n "$SG_V$SG_P" ] && [ "$SG_V|$SG_P|$SG_R" = "$OS_V|$OS_P|$OS_R" ]; then
		pass oracle-sg-inq-agrees-atapi-mode
	else
		fail oracle-sg-inq-agrees-atapi-mode "sg_inq [$SG_V][$SG_P][$SG_R], odrescue [$OS_V][$OS_P][$OS_R]"
	fi
	if [ -n "$HD_M" ] && [ "$HD_M|$HD_S|$HD_F" = "$OS_M|$OS_S|$OS_F" ]; then
		pass oracle-hdparm-agrees-atapi-mode
	else
		fail oracle-hdparm-agrees-atapi-mode "hdparm [$HD_M][$HD_S][$HD_F], odrescue [$OS_M][$OS_S][$OS_F]"
	fi
else
	info "sg_inq/hdparm not in the initramfs: the peer-tool comparison is skipped"
fi

# 8 MiB from the disc: odrescue's raw PIO READ(10) (32-bit data transfers as
# chosen by default, and 16-bit) against the kernel's PIO path, each timed
# inside rawread (read(2) of 32 KiB blocks for the kernel, as dd bs=32k), no
# process start in any figure. Five interleaved rounds (TCG timing is noisy),
# the driver unbound for the raw reads and bound again for the kernel's;
# medians compared.
if [ -x /bin/rawread ] && [ -e /dev/sr0 ]; then
	info "libata dma parameter: $(cat /sys/module/libata/parameters/dma 2>/dev/null), sr0 transfer mode: $(cat /sys/class/ata_device/dev*/xfer_mode 2>/dev/null | grep -v SLOW | head -n1)"
	secs() { printf '%s\n' "$OUTP" | sed -n 's/.* in \([0-9.]*\) s = .*/\1/p'; }
	K=; R32=; R16=; ok=1
	for i in 1 2 3 4 5; do
		echo 3 >/proc/sys/vm/drop_caches	# each read from the drive, not the page cache
		q0=$(awk '{ print $1 }' /sys/block/sr0/stat)
		run kernelread /bin/rawread /dev/sr0 8
		s=$(secs); [ "$RC" = 0 ] && [ -n "$s" ] && K="$K $s" || ok=0
		info "the kernel read it in $(( $(awk '{ print $1 }' /sys/block/sr0/stat) - q0 )) commands"
		echo 0000:00:01.1 >/sys/bus/pci/drivers/ata_piix/unbind
		run rawread32 /bin/rawread 3 8
		s=$(secs); [ "$RC" = 0 ] && [ -n "$s" ] && has "data port 32-bit" && R32="$R32 $s" || ok=0
		run rawread16 /bin/rawread 3 8 pio32=0
		s=$(secs); [ "$RC" = 0 ] && [ -n "$s" ] && R16="$R16 $s" || ok=0
		echo 0000:00:01.1 >/sys/bus/pci/drivers/ata_piix/bind
		j=0
		while [ ! -e /dev/sr0 ] && [ $j -lt 100 ]; do sleep 0.1; j=$((j + 1)); done
	done
	med() { printf '%s\n' $1 | sort -n | sed -n 3p; }
	if [ $ok = 1 ] && [ -e /dev/sr0 ]; then
		pass read-8mib-raw-and-kernel
		info "$(awk -v k="$(med "$K")" -v r="$(med "$R32")" -v w="$(med "$R16")" -v ks="$K" -v rs="$R32" -v ws="$R16" 'BEGIN { printf "read 8 MiB, median of 5 interleaved: kernel PIO (read(2) of /dev/sr0, libata dma=0) %.3f s [%s ], odrescue raw PIO 32-bit %.3f s [%s ], 16-bit %.3f s [%s ]; raw/kernel time ratio %.2f (16-bit %.2f; target <= 1)", k, ks, r, rs, w, ws, r / k, w / k }')"
	else
		fail read-8mib-raw-and-kernel "kernel [$K ] raw 32-bit [$R32 ] 16-bit [$R16 ]"
	fi
	# dd itself, as the issue names it: the same bytes, its wall time with process start
	echo 3 >/proc/sys/vm/drop_caches
	run kernelread-dd dd if=/dev/sr0 of=/dev/null bs=32k count=256
	expect kernel-read-8mib-dd 0 "256+0 records in"
fi

# Raw access while ata_piix owns the ports: refused with exit 4, nothing touched.
run scan-owned odrescue scan
expect scan-owned-refused 4 "driven by the kernel's ata_piix" "--release" \
	"PCI IDE controllers (sysfs):" "owner ata_piix"
run scan-atapi2 odrescue scan --atapi
expect kernel-path-unharmed 0 "QEMU DVD-ROM"

# --release: unbind the controller for one run, work on raw ports, give it back.
run release-identify odrescue --release identify 3
expect release-identify 0 "released: PCI 0000:00:01.1 unbound from ata_piix" \
	"model            'QEMU DVD-ROM'" "given back: PCI 0000:00:01.1"
if [ "$PEERS" = 1 ]; then
	R_V=$(inq 1); R_P=$(inq 2); R_R=$(inq 3)
	R_M=$(field "model" | sed "s/^'\(.*\)'$/\1/"); R_S=$(field "serial" | sed "s/^'\(.*\)'$/\1/")
	R_F=$(field "firmware" | sed "s/^'\(.*\)'$/\1/")
	info "oracle: field      sg_inq / hdparm -I (kernel)   odrescue SG_IO   odrescue raw"
	info "oracle: vendor     [$SG_V]   [$OS_V]   [$R_V]"
	info "oracle: product    [$SG_P]   [$OS_P]   [$R_P]"
	info "oracle: revision   [$SG_R]   [$OS_R]   [$R_R]"
	info "oracle: model      [$HD_M]   [$OS_M]   [$R_M]"
	info "oracle: serial     [$HD_S]   [$OS_S]   [$R_S]"
	info "oracle: firmware   [$HD_F]   [$OS_F]   [$R_F]"
	if [ -n "$HD_M" ] && [ "$SG_V|$SG_P|$SG_R|$HD_M|$HD_S|$HD_F" = "$R_V|$R_P|$R_R|$R_M|$R_S|$R_F" ]; then
		pass oracle-raw-agrees-with-sg-inq-and-hdparm
	else
		fail oracle-raw-agrees-with-sg-inq-and-hdparm "see the oracle lines"
	fi
fi
i=0
while [ ! -e /dev/sr0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
run read-sr0-after-giveback dd if=/dev/sr0 of=/dev/null bs=2048 count=16
expect sr0-reads-after-giveback 0 "16+0 records in"
run owner-again odrescue scan
expect owner-back-after-giveback 4 "ata_piix"

# A raw command named by the kernel's node: sysfs gives its raw position.
run node-owned odrescue regs /dev/sr0
expect node-to-raw-owned 4 "/dev/sr0 is raw position 3" "ata_piix"
run node-release odrescue --release regs /dev/sr0
expect node-to-raw-release 0 "/dev/sr0 is raw position 3" "Position 3 (secondary master)" \
	"given back: PCI 0000:00:01.1"
i=0
while [ ! -e /dev/sr0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
run read-sr0-after-node dd if=/dev/sr0 of=/dev/null bs=2048 count=16
expect sr0-reads-after-node-release 0 "16+0 records in"
dmesg | tail -n 30 | sed 's/^/  dmesg| /'
info "tests ended at $(cut -d' ' -f1 /proc/uptime) s uptime"
echo "VMTEST DONE"
poweroff -f
