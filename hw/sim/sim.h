/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The simulated IDE channels behind -p sim: an ATA disk, ATAPI MMC drives
 * and a MediaTek drive whose flash is a simflash chip. Register semantics
 * follow ATA/ATAPI-7 (ata-register.md); the vendor engine follows
 * docs/protocol.md. Time is virtual unless clock=real.
 */
#ifndef ODRESCUE_SIM_H
#define ODRESCUE_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "hw/bus.h"
#include "hw/sim/simflash.h"

#define SIM_NEVER		UINT64_MAX
#define SIM_REG_NS		600	/* PIO mode 0 cycle (t0): taskfile registers */
#define SIM_DATA_NS		120	/* PIO mode 4 cycle: one data word */
#define SIM_CMD_NS		(20 * 1000)	/* a command's BSY time before DRQ/completion */
#define SIM_RESET_NS		(2 * 1000 * 1000)	/* BSY after SRST, a healthy drive */
#define SIM_BOOT_NS		(300 * 1000 * 1000)	/* restart after the outro or power-on */
#define SIM_WBUF_BSY_NS		(8ull * 1000 * 1000 * 1000)	/* after mode 7: writing its flash */
#define SIM_WBUF_READY_NS	(60ull * 1000 * 1000 * 1000)	/* ... then NOT READY, becoming ready, until */
#define SIM_MAX_VIOL		8	/* descriptions kept; all are counted */
#define SIM_DATA_MAX		(64 * 1024)
#define SIM_ST_SERIAL73		0x73	/* vendor status of scenario spi73 */
/* The serial buffer: its size is not in the record (260 B to 2 KiB, public-record-check.md). */
#define SIM_SPIBUF_MAX		2048
#define SIM_SPIBUF_DEFAULT	512

enum sim_kind { SIM_NONE, SIM_DISK, SIM_CDROM, SIM_MTK };

enum sim_phase { PH_IDLE, PH_CDB, PH_IN, PH_OUT };

struct sim_dev {
	enum sim_kind kind;
	int pos;			/* 1..4 */
	int powered_off;		/* power switched off: the bus floats at it */
	int cable_out;			/* its SATA data cable pulled (fault unplug_at): no link, still powered */
	unsigned power_gen;		/* power-ons since it was plugged: a SATA link sees each (COMINIT) */
	/* taskfile as this device holds it */
	uint8_t feature, nsect, lbal, lbam, lbah, device, error, status;
	uint64_t busy_until;		/* BSY until then (SIM_NEVER: a hang) */
	int power_unseen;		/* powered on or plugged in, and the host has not read Status since */
	uint8_t status_after;		/* status when BSY ends */
	/* PIO data phase */
	enum sim_phase phase;
	uint8_t data[SIM_DATA_MAX];
	size_t len, off, block_end;	/* bytes in data, read/written so far, end of this DRQ block */
	uint16_t bcl;			/* ATAPI byte count limit */
	uint8_t cdb[12];
	int cdb_sent;			/* the 12th CDB byte was the last data-port access */
	int cdb_short;			/* a short CDB was already reported */
	/* ATAPI */
	uint8_t sense_key, asc, ascq;
	int medium, tray_open;
	uint8_t rpc[4];			/* REPORT KEY 08h bytes 4..7 */
	char vendor[9], product[17], rev[5], serial[21], model[41];
	/* disk: commands it aborted that a tool must never send it */
	unsigned rejected;
	uint8_t last_rejected;
	/* MediaTek */
	struct simflash flash;
	int has_flash;
	int vendor_mode;
	uint8_t vstatus;		/* 70h/72h/73h/52h in vendor mode */
	int outro_armed;		/* 81h seen, 08h restarts */
	int spi_cs;			/* 04h ran, 05h not yet */
	int bricked;			/* the image fails the boot check: BSY forever */
	int locked;			/* scenario locked: 52h, flash not reachable */
	/* WRITE BUFFER downloads (scenario wbuf, mtk-protocol.md 3.2) */
	int wbuf;			/* its firmware takes mode 6/7 */
	uint8_t *wbuf_buf;		/* 20h header + the image, as mode 6 filled it */
	size_t wbuf_hi;			/* highest byte written + 1 */
	int activate_pending;		/* mode 7 took: restart once the host has read its status */
	uint64_t not_ready_until;	/* restarting after an update: NOT READY, becoming ready */
	uint64_t window_start;		/* power-on or reset: the intro window opens (SIM_NEVER: closed) */
	unsigned intros_refused;
	uint8_t spibuf[SIM_SPIBUF_MAX];	/* s->spibuf_len of it decoded: 8800h and 0000h alias */
};

/* A timed change at a position: hot-plug, unplug, the user's power cycle. */
struct sim_event {
	uint64_t at;
	int pos;
	enum { EV_PLUG, EV_UNPLUG, EV_POWER_OFF, EV_POWER_ON } what;
	enum sim_kind kind;
	int by_user;		/* the simulated user's reaction to this run: it ends with the run */
};

struct sim {
	char scenario[16];		/* how the machine was first set up (state= keeps it) */
	struct sim_dev dev[4];		/* pos 1..4 at index 0..3 */
	uint8_t devctl[2];
	int sel[2];			/* selected device per channel */
	uint64_t now;			/* virtual ns */
	int real_clock;
	uint64_t real_t0;
	uint64_t real_due;		/* clock=real: the last access ends here (it spins until then) */
	uint64_t reg_ns;		/* cost of one taskfile register access (SIM_REG_NS) */
	/* the process stalls (preempted) after an access: stall_ppm per million accesses, stall_ns each */
	uint32_t stall_ppm;
	uint64_t stall_ns;
	uint32_t stall_rng;		/* xorshift32 state from seed=: the same accesses stall on every run */
	uint64_t stalls;		/* how many so far */
	uint64_t window_ns;		/* dead drive: intro taken this long after power-on, plug-in or reset (0 always) */
	uint64_t cycle_ns;		/* simulated user power-cycles a drive this long after a refused intro */
	int wbuf_hang;			/* after a WRITE BUFFER update the drive never answers again */
	unsigned spibuf_len;		/* serial buffer size, a power of two (spibuf=) */
	int dialect;			/* serial command set: 0 01/00/04, 1 52/1F/C2, 2 68/91/1B (serial=) */
	int64_t wbuf_flip;		/* this image byte of a download arrives with bit 0 flipped (-1: none) */
	struct sim_event ev[8];
	int nev;
	uint32_t seed;
	/* counters: taskfile registers by offset (0: data, one per word), then the control block */
	uint64_t reg_reads[2][8], reg_writes[2][8];
	uint64_t alt_reads[2], devctl_writes[2];
	int fis_delivery;		/* a SATA bridge writes a FIS's registers: the host chose none of them */
	int behind_hba;			/* a modelled AHCI HBA fronts the drives: each has a link of its own */
	/* protocol violations: what a correct host never does */
	unsigned nviol;
	char viol[SIM_MAX_VIOL][128];
	/* image for drives created later (hot-plug) and after power cycles */
	uint8_t *image;
	size_t image_len;
	const struct simflash_chip *chip;
	/* state=: the mapped file's storage, the image then positions 1..4's flash (NULL: the heap) */
	uint8_t *store;
};

/* For tests: the simulator behind an open -p sim bus. */
struct sim *sim_from_bus(struct bus *b);
struct sim_dev *sim_dev_at(struct sim *s, int pos);

void sim_init(struct sim *s);
void sim_free(struct sim *s);
/* Attach a device at pos, powered on now; an MTK drive gets s->chip loaded with s->image. */
int sim_attach(struct sim *s, int pos, enum sim_kind kind);
void sim_detach(struct sim *s, int pos);
void sim_power_cycle(struct sim *s, int pos);
/* Process timed events and finished BSY periods up to s->now. */
void sim_tick(struct sim *s);

uint8_t sim_inb(struct sim *s, int chan, unsigned reg);
void sim_outb(struct sim *s, int chan, unsigned reg, uint8_t val);
uint8_t sim_alt(struct sim *s, int chan);
void sim_devctl(struct sim *s, int chan, uint8_t val);
uint16_t sim_inw(struct sim *s, int chan);
void sim_outw(struct sim *s, int chan, uint16_t val);

/* A protocol violation by the host: counted, the first SIM_MAX_VIOL described. */
void sim_violation(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
unsigned sim_violation_count(const struct sim *s);
/* Description of violation i (i < SIM_MAX_VIOL), NULL past the kept ones. */
const char *sim_violation_msg(const struct sim *s, unsigned i);

/*
 * The whole machine in a file (sim_state.c), mapped: struct sim itself and
 * the flash live in the file, so every change is on disk as it happens and
 * a killed process leaves what a real drive would hold. sim_state_create
 * moves a machine built in memory into fd; sim_state_map maps the machine
 * fd holds (len bytes) and readies it for this run. On failure err says why.
 */
int sim_state_is_machine(const void *buf, size_t len);
int sim_state_create(struct sim *heap, int fd, struct sim **s, void **map, size_t *maplen);
int sim_state_map(int fd, size_t len, struct sim **s, void **map, size_t *maplen, char *err, size_t errlen);
/* Let go of what this process holds (download buffers) and the mapping; the machine stays as it is. */
void sim_state_unmap(struct sim *s, void *map, size_t maplen);

/* Device models (sim_atapi.c, sim_mtk.c). */
void sim_atapi_identity(struct sim_dev *d);
void sim_atapi_command(struct sim *s, struct sim_dev *d, uint8_t cmd);
void sim_atapi_cdb(struct sim *s, struct sim_dev *d);
/* Command endings and the data-out phase, for the commands built on the MMC drive. */
void sim_atapi_good(struct sim *s, struct sim_dev *d);
void sim_atapi_check(struct sim *s, struct sim_dev *d, uint8_t key, uint8_t asc, uint8_t ascq);
void sim_atapi_data_out(struct sim *s, struct sim_dev *d, size_t len);
/* Every byte of a data-out phase arrived in d->data. */
void sim_atapi_data_done(struct sim *s, struct sim_dev *d);
/* WRITE BUFFER (sim_wbuf.c): the CDB, its data, and the restart into the new firmware. */
void sim_wbuf_cdb(struct sim *s, struct sim_dev *d);
void sim_wbuf_data(struct sim *s, struct sim_dev *d);
void sim_wbuf_activate(struct sim *s, struct sim_dev *d);
int sim_mtk_command(struct sim *s, struct sim_dev *d, uint8_t cmd);
void sim_mtk_boot(struct sim *s, struct sim_dev *d);

/* Finish a command: BSY for ns, then status (and DRQ phase state as set). */
void sim_busy(struct sim *s, struct sim_dev *d, uint64_t ns, uint8_t status_after);

#endif
