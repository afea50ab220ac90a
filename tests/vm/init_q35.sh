# SPDX-License-Identifier: GPL-2.0-or-later
# The q35 half of the VM tier, sourced by /init (tests/vm/init.sh) when the
# kernel command line says odrtest=q35: QEMU's ICH9 AHCI with a disk on
# port 0 and the DVD-ROM on port 2, the firmware having set the controller
# up as on a real machine. First odrescue drives the ports itself
# (-p ahci:pci, no driver bound), then through libata's ahci: the node's
# vendor commands go as ATA PASS-THROUGH, --release takes the controller.
AHCI=0000:00:1f.2

run q35-scan odrescue -p ahci:pci=$AHCI scan
expect ahci-pci-scan 0 "p0   link up" "ATA disk 'QEMU HARDDISK'" "p2   link up" "ATAPI CD/DVD 'QEMU DVD-ROM'"
run q35-identify odrescue -p ahci:pci=$AHCI identify p2
expect ahci-pci-identify 0 "Position p2 (SATA port 2)" "INQUIRY          vendor 'QEMU    ' product 'QEMU DVD-ROM    '"
run q35-chip odrescue -p ahci:pci=$AHCI chip p2
expect ahci-pci-chip-not-mtk 7 "refuses the MediaTek vendor command (status 41h)"
run q35-chip-disk odrescue -p ahci:pci=$AHCI chip p0
expect ahci-pci-disk-refused 5 "holds an ATA disk"
# rescue on a port of a real kernel's machine: QEMU's CD answers and is not the drive the image is for,
# so it is Case 2 (swap the data cable), and QEMU cannot hot-plug: the wait ends, nothing written.
odrescue -p sim dump 3 /tmp/fw.bin >/dev/null 2>&1	# an image from the simulator built in
run q35-rescue-port odrescue -p ahci:pci=$AHCI rescue p2 /tmp/fw.bin --yes --backup /tmp/rb.bin --timeout 2
expect ahci-pci-rescue-case2-waits 2 "p2 holds a working drive [QEMU    ][QEMU DVD-ROM    ] (Case 2)" \
	"no drive appeared on p2; nothing was written"
[ ! -e /tmp/rb.bin ] && pass ahci-pci-rescue-nothing-made || fail ahci-pci-rescue-nothing-made "/tmp/rb.bin exists"
run q35-rescue-disk odrescue -p ahci:pci=$AHCI rescue p0 /tmp/fw.bin --yes --backup /tmp/rb.bin
expect ahci-pci-rescue-disk-refused 5 "holds an ATA disk"
# What one vendor byte costs on a user-space AHCI port: a non-data command as
# a Register FIS (ahci_tf.c), against one PxTFD read; an answer with ERR
# restarts the port.
[ -x /bin/tfbench ] && tfbench tfbench-ahci ahci $AHCI 2 2000 200

ok=1
for m in scsi/scsi_common scsi/scsi_mod ata/libata ata/libahci ata/ahci cdrom/cdrom scsi/sr_mod scsi/sg; do
	[ -e /mods/$m.ko ] || { info "module $m.ko not in the initramfs (built in?)"; continue; }
	out=$(insmod /mods/$m.ko 2>&1) || { fail "insmod-$(basename $m)" "$out"; ok=0; }
done
[ $ok = 1 ] && pass insmod-ahci
i=0
while [ ! -e /dev/sr0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ -e /dev/sr0 ]; then pass ahci-sr0; else fail ahci-sr0 "no /dev/sr0 after loading ahci"; fi

run q35-owned odrescue -p ahci:pci=$AHCI scan
expect ahci-pci-owned 4 "driven by the kernel's ahci" "--release"
# The node on libata's ahci: the vendor intro as ATA PASS-THROUGH(16); QEMU's drive aborts it (ERR),
# libata's error handler asks it for sense, the registers come back: not a MediaTek drive.
run q35-node-chip odrescue chip /dev/sr0
expect sat-chip-not-mtk 7 "/dev/sr0 runs its firmware but refuses the MediaTek vendor command (status 41h)"
if [ -x /bin/satprobe ]; then
	run q35-sat-probe /bin/satprobe /dev/sr0
	expect sat-registers-from-ahci 0 "80h/2Ah: ERR, status 41h error 04h" "lbal 2Ah" "EFh/66h: done, status 50h" \
		"A1h: done, model 'QEMU DVD-ROM'"
fi
# ...and through SG_IO ATA PASS-THROUGH(16) with ahci bound (taskfile_sat.c);
# an answer with ERR runs libata's error handler, so only 20 of those.
[ -x /bin/tfbench ] && tfbench tfbench-sat-ahci sat /dev/sr0 2000 20
run q35-read-after-sat dd if=/dev/sr0 of=/dev/null bs=2048 count=16
expect sr0-reads-after-sat-on-ahci 0 "16+0 records in"
run q35-node-disk odrescue chip /dev/sg0
expect sat-disk-refused 5 "holds an ATA disk"
# rescue through SG_IO reaches the drive libata attached: QEMU's CD holds a disc, refused before vendor mode
run q35-node-rescue odrescue rescue /dev/sr0 /tmp/fw.bin --yes --backup /tmp/rb.bin
expect sat-rescue-disc-refused 5 "/dev/sr0 has a disc in it"

# --release: the whole controller taken from ahci for the run, given back at exit.
run q35-release odrescue -p ahci:pci=$AHCI --release identify p2
expect ahci-pci-release 0 "Position p2 (SATA port 2)" "given back"
i=0
while [ ! -e /dev/sr0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
run q35-read-after-release dd if=/dev/sr0 of=/dev/null bs=2048 count=16
expect sr0-reads-after-ahci-release 0 "16+0 records in"
dmesg | tail -n 20 | sed 's/^/  dmesg| /'
info "q35 tests ended at $(cut -d' ' -f1 /proc/uptime) s uptime"
echo "VMTEST DONE"
poweroff -f
