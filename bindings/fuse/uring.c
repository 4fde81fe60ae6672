/*
** FUSE over io_uring (Linux 6.14+, fuse.enable_uring=Y), under libfuse 3.14,
** which does not speak it.
**
** Why: classic /dev/fuse has one queue, so the worker that reads a request
** usually runs on another CPU than the process that made it, and each round
** trip pays for a cross-CPU wake-up.  Over io_uring the kernel keeps one
** queue per possible CPU and hands a request to the ring registered for the
** CPU its caller runs on; a thread pinned to that CPU serves it there.
**
** How, with an unmodified libfuse: the session is mounted as usual, then
** given custom I/O hooks on the same /dev/fuse fd (fuse_session_custom_io).
**   - read hook: plain read(2); it notes the INIT request's unique and
**     whether the kernel offers FUSE_OVER_IO_URING (flags2).
**   - writev hook: the INIT reply gets FUSE_OVER_IO_URING added; after it is
**     written the ring threads register.  A reply made inside a ring thread
**     for the request it is serving goes into that ring entry; everything
**     else (notifications, replies to requests read from /dev/fuse) is
**     written to /dev/fuse as before.
**   - ring threads: per queue (CPU) QUEUE_THREADS threads pinned to it,
**     each with its own io_uring and one ring entry.  A completion holds a
**     request split in parts (fuse_in_header, the opcode's fixed argument,
**     the rest); the thread lays them out contiguously, as read(2) on
**     /dev/fuse would have returned them, and runs fuse_session_process_buf,
**     whose reply comes back synchronously through the writev hook; then it
**     submits COMMIT_AND_FETCH, which sends the reply and waits for the next
**     request in one system call.
** The classic loop keeps running: FORGET and INTERRUPT always come through
** /dev/fuse, and so does everything until every queue has an entry.  This
** relies on proclua's handlers replying before they return (ops.c): a
** reply made later would go to /dev/fuse, where the kernel does not look
** for a ring's request.
**
** The protocol as implemented here follows fs/fuse/dev_uring.c of Linux
** 6.18 (protocol 7.45); the structs below mirror include/uapi/linux/fuse.h,
** where they appeared in 7.42, and Debian 12's <linux/fuse.h> (7.38)
** predates them (layouts checked against that kernel's BTF,
** /sys/kernel/btf/vmlinux).
*/
#include "pl_fuse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef PROCLUA_HAVE_URING

#include <linux/fuse.h>
#include <liburing.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/eventfd.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* ---- ABI: mirrors of include/uapi/linux/fuse.h (7.42) ---- */

#define PL_FUSE_OVER_IO_URING (1ULL << 41) /* INIT flags, bits 32.. in flags2 */

/* struct fuse_uring_ent_in_out */
struct pl_uring_ent_in_out {
	uint64_t flags;
	uint64_t commit_id;  /* the request's unique, to echo in the commit */
	uint32_t payload_sz; /* bytes used in the payload buffer, either way */
	uint32_t padding;
	uint64_t reserved;
};

/* struct fuse_uring_req_header: iov[0] of a ring entry */
struct pl_uring_req_header {
	char in_out[128]; /* fuse_in_header from the kernel, fuse_out_header back */
	char op_in[128];  /* the opcode's first argument (its fixed struct) */
	struct pl_uring_ent_in_out ring_ent_in_out;
};

/* enum fuse_uring_cmd, the uring_cmd's cmd_op */
enum {
	PL_URING_CMD_REGISTER = 1,         /* hand the kernel an entry */
	PL_URING_CMD_COMMIT_AND_FETCH = 2, /* reply, and take the next request */
};

/* struct fuse_uring_cmd_req, in the SQE's command area (SQE128) */
struct pl_uring_cmd_req {
	uint64_t flags;
	uint64_t commit_id;
	uint16_t qid;
	uint8_t padding[6];
};

_Static_assert(sizeof(struct pl_uring_ent_in_out) == 32, "fuse_uring_ent_in_out");
_Static_assert(sizeof(struct pl_uring_req_header) == 288, "fuse_uring_req_header");
_Static_assert(sizeof(struct pl_uring_cmd_req) == 24, "fuse_uring_cmd_req");

/* ---- the transport ---- */

#define ENABLE_PARAM "/sys/module/fuse/parameters/enable_uring"

/* Threads per queue, each with one entry.  The kernel hands a request to
** the entry that became free last, so the first thread serves while the
** others sleep; a second one lets a CPU's next request in while the first
** waits (on the Lua lock, or on the notifier, see notify.c). */
#define QUEUE_THREADS 2

/* Room before the payload for the in header and the op argument, so a
** request is made contiguous without moving its payload. */
#define HEADROOM 4096

#define TAG_ENTRY 1u
#define TAG_STOP 2u

enum state { WAITING, GO, CANCELLED };

struct ring_thread {
	struct pl_uring *u;
	unsigned qid; /* the kernel queue served: the CPU it runs on */
	pthread_t thread;
	int started;
	struct io_uring ring;
	struct pl_uring_req_header *hdr;
	char *buf;     /* HEADROOM + payload */
	char *payload; /* buf + HEADROOM */
	struct iovec iov[2];
	uint64_t unique; /* request being served */
	uint64_t commit; /* its commit id, as the kernel gave it */
	int serving, replied;
	uint64_t served;
};

struct pl_uring {
	struct fuse_session *se;
	int fd;      /* /dev/fuse */
	int stop_fd; /* eventfd: readable once the threads must go */
	unsigned nqueues, nthreads;
	size_t payload_sz;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned setup_done, setup_failed, registered;
	int setup_err;
	enum state state;
	int warned_noreply;

	struct ring_thread t[];
};

/* The INIT handshake, seen by the hooks of any thread.  One session per
** process; `the` stays valid until pl_uring_stop, which runs once no INIT
** can come any more. */
static struct pl_uring *the;
static atomic_int init_seen;        /* the INIT request was read */
static atomic_int init_done;        /* and replied to */
static uint64_t init_unique;
static int init_offered;            /* the kernel offered FUSE_OVER_IO_URING */

/* The ring entry whose request this thread is serving, for the writev hook. */
static _Thread_local struct ring_thread *serving;

int pl_uring_thread(void)
{
	return serving != NULL;
}

static void release_threads(struct pl_uring *u, enum state s)
{
	pthread_mutex_lock(&u->lock);
	if (u->state == WAITING)
		u->state = s;
	pthread_cond_broadcast(&u->cond);
	pthread_mutex_unlock(&u->lock);
}

/* The kernel's buffer need, from our INIT reply: fs/fuse/dev_uring.c makes
** every entry's payload at least max(FUSE_MIN_READ_BUFFER, max_write,
** max_pages * PAGE_SIZE), with max_pages 32 unless the reply sets it. */
static size_t payload_size(const struct fuse_init_out *o)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = (o->flags & FUSE_MAX_PAGES) ? (o->max_pages ? o->max_pages : 1) : 32;
	size_t n = FUSE_MIN_READ_BUFFER;
	if (o->max_write > n)
		n = o->max_write;
	if (pages * page > n)
		n = pages * page;
	return n;
}

static ssize_t io_read(int fd, void *buf, size_t len, void *userdata)
{
	(void)userdata;
	ssize_t n = read(fd, buf, len);
	if (n >= (ssize_t)sizeof(struct fuse_in_header) && !atomic_load(&init_seen)) {
		const struct fuse_in_header *in = buf;
		if (in->opcode == FUSE_INIT) {
			const struct fuse_init_in *ii = (const void *)(in + 1);
			size_t have = (size_t)n - sizeof *in;
			init_offered = have >= offsetof(struct fuse_init_in, flags2) + sizeof ii->flags2 &&
			               (ii->flags & FUSE_INIT_EXT) &&
			               (ii->flags2 & (uint32_t)(PL_FUSE_OVER_IO_URING >> 32));
			init_unique = in->unique;
			atomic_store(&init_seen, 1);
		}
	}
	return n;
}

/* Our INIT reply, with FUSE_OVER_IO_URING asked for when offered. */
static ssize_t init_reply(int fd, struct iovec *iov, int count)
{
	struct pl_uring *u = the;
	const struct fuse_out_header *oh = iov[0].iov_base;
	struct fuse_init_out o;
	int ask = u && init_offered && oh->error == 0 && count == 2 &&
	          iov[1].iov_len >= offsetof(struct fuse_init_out, flags2) + sizeof o.flags2 &&
	          iov[1].iov_len <= sizeof o;
	if (!ask) {
		if (u) {
			fprintf(stderr, "proclua: io_uring: the kernel did not offer FUSE over io_uring;"
			        " serving through /dev/fuse\n");
			release_threads(u, CANCELLED);
		}
		return writev(fd, iov, count);
	}
	memset(&o, 0, sizeof o);
	memcpy(&o, iov[1].iov_base, iov[1].iov_len);
	o.flags |= FUSE_INIT_EXT;
	o.flags2 |= (uint32_t)(PL_FUSE_OVER_IO_URING >> 32);
	struct iovec v[2] = { iov[0], { &o, iov[1].iov_len } };
	u->payload_sz = payload_size(&o);
	ssize_t n = writev(fd, v, 2);
	/* The kernel took the reply (the connection is initialized when the
	** write returns): the threads may register now.  From here until
	** every queue has an entry, new requests wait in the kernel. */
	release_threads(u, n < 0 ? CANCELLED : GO);
	return n;
}

/* A reply to the request this ring thread serves: into its entry. */
static ssize_t to_ring(struct ring_thread *t, const struct iovec *iov, int count)
{
	const struct fuse_out_header *oh = iov[0].iov_base;
	struct fuse_out_header *out = (struct fuse_out_header *)t->hdr->in_out;
	size_t len = 0;
	int32_t error = oh->error;
	for (int i = 1; i < count && !error; i++) {
		if (iov[i].iov_len > t->u->payload_sz - len) {
			error = -EIO; /* cannot happen: the kernel asks for no more than fits */
			break;
		}
		/* memmove: a reply may quote the request, which sits in the payload */
		memmove(t->payload + len, iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	if (error)
		len = 0;
	out->len = (uint32_t)(sizeof *out + len);
	out->error = error;
	out->unique = oh->unique;
	t->hdr->ring_ent_in_out.payload_sz = (uint32_t)len;
	t->replied = 1;
	return (ssize_t)(sizeof *out + len);
}

static ssize_t io_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	(void)userdata;
	/* libfuse puts the fuse_out_header alone in iov[0] */
	if (count < 1 || iov[0].iov_len != sizeof(struct fuse_out_header))
		return writev(fd, iov, count);
	const struct fuse_out_header *oh = iov[0].iov_base;
	struct ring_thread *t = serving;
	if (t && t->serving && !t->replied && oh->unique == t->unique)
		return to_ring(t, iov, count);
	if (atomic_load(&init_seen) && !atomic_load(&init_done) && oh->unique == init_unique &&
	    !atomic_exchange(&init_done, 1))
		return init_reply(fd, iov, count);
	return writev(fd, iov, count);
}

static const struct fuse_custom_io hooks = {
	.read = io_read,
	.writev = io_writev,
};

/* ---- ring threads ---- */

static struct io_uring_sqe *cmd_sqe(struct ring_thread *t, uint32_t op, uint16_t qid, uint64_t commit)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);
	if (!sqe)
		return NULL;
	memset(sqe, 0, 128); /* the whole SQE128: the command area is its second half */
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = 0; /* the registered /dev/fuse */
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->cmd_op = op;
	sqe->user_data = TAG_ENTRY;
	struct pl_uring_cmd_req *req = (struct pl_uring_cmd_req *)sqe->cmd;
	req->qid = qid;
	req->commit_id = commit;
	return sqe;
}

static int queue_register(struct ring_thread *t)
{
	struct io_uring_sqe *sqe = cmd_sqe(t, PL_URING_CMD_REGISTER, (uint16_t)t->qid, 0);
	if (!sqe)
		return -EBUSY;
	sqe->addr = (uint64_t)(uintptr_t)t->iov;
	sqe->len = 2;
	return 0;
}

/* After INIT accepted io_uring, the kernel holds every new request until
** each queue has an entry, or until a REGISTER fails.  A thread that cannot
** register makes one fail on purpose (a queue id past the last), so that
** the kernel gives up on io_uring and serves through /dev/fuse. */
static void give_up(struct ring_thread *t)
{
	struct io_uring_cqe *cqe;
	if (!cmd_sqe(t, PL_URING_CMD_REGISTER, (uint16_t)t->u->nqueues, 0))
		return;
	if (io_uring_submit_and_wait(&t->ring, 1) >= 0 && io_uring_peek_cqe(&t->ring, &cqe) == 0)
		io_uring_cqe_seen(&t->ring, cqe);
}

static void reply_error(struct ring_thread *t, int error)
{
	struct fuse_out_header oh = { sizeof oh, -error, t->unique };
	struct iovec v = { &oh, sizeof oh };
	to_ring(t, &v, 1);
}

/* Make the request in the entry contiguous, as read(2) returns it, and
** serve it; the reply lands in the entry (to_ring). */
static void serve(struct ring_thread *t)
{
	struct pl_uring *u = t->u;
	struct pl_uring_req_header *h = t->hdr;
	struct fuse_in_header in;
	memcpy(&in, h->in_out, sizeof in);
	uint32_t psz = h->ring_ent_in_out.payload_sz;
	/* in.len counts every argument: what is not payload is the op argument */
	size_t op = in.len >= sizeof in + psz ? in.len - sizeof in - psz : SIZE_MAX;
	t->unique = in.unique;
	t->commit = h->ring_ent_in_out.commit_id;
	t->replied = 0;
	if (op > sizeof h->op_in || psz > u->payload_sz) {
		fprintf(stderr, "proclua: io_uring: malformed request (opcode %u, len %u, payload %u)\n",
		        in.opcode, in.len, psz);
		reply_error(t, EIO);
		return;
	}
	char *start = t->payload - op - sizeof in;
	memcpy(start, &in, sizeof in);
	memcpy(start + sizeof in, h->op_in, op);
	struct fuse_buf fb;
	memset(&fb, 0, sizeof fb);
	fb.mem = start;
	fb.size = in.len;
	t->serving = 1;
	serving = t;
	fuse_session_process_buf(u->se, &fb);
	serving = NULL;
	t->serving = 0;
	t->served++;
	if (!t->replied) { /* every request that comes by a ring expects a reply */
		pthread_mutex_lock(&u->lock);
		int warn = !u->warned_noreply;
		u->warned_noreply = 1;
		pthread_mutex_unlock(&u->lock);
		if (warn)
			fprintf(stderr, "proclua: io_uring: no reply to opcode %u; answered EIO\n", in.opcode);
		reply_error(t, EIO);
	}
}

static void pin(unsigned cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	/* unpinned if refused (an offline CPU, a cpuset without it): the
	** kernel still queues by the caller's CPU, the thread only wakes
	** elsewhere */
	(void)sched_setaffinity(0, sizeof set, &set);
}

static int setup(struct ring_thread *t)
{
	struct pl_uring *u = t->u;
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	/* SQE128: the fuse command does not fit a 64-byte SQE.  One thread
	** submits and waits (SINGLE_ISSUER), so the kernel's work for a
	** completion may wait until it asks for events (DEFER_TASKRUN): a
	** request is copied in when the thread wakes, not by interrupting it
	** (measured: a microsecond or two better; older kernels lack them). */
	p.flags = IORING_SETUP_SQE128 | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	int rc = io_uring_queue_init_params(4, &t->ring, &p);
	if (rc == -EINVAL) {
		memset(&p, 0, sizeof p);
		p.flags = IORING_SETUP_SQE128;
		rc = io_uring_queue_init_params(4, &t->ring, &p);
	}
	if (rc < 0)
		return rc;
	int files[1] = { u->fd };
	rc = io_uring_register_files(&t->ring, files, 1);
	if (rc < 0) {
		io_uring_queue_exit(&t->ring);
		return rc;
	}
	if (posix_memalign((void **)&t->hdr, 4096, sizeof *t->hdr) != 0) {
		io_uring_queue_exit(&t->ring);
		return -ENOMEM;
	}
	memset(t->hdr, 0, sizeof *t->hdr);
	return 0;
}

static void report(struct pl_uring *u, int rc)
{
	pthread_mutex_lock(&u->lock);
	u->setup_done++;
	if (rc < 0 && !u->setup_failed++)
		u->setup_err = rc;
	pthread_cond_broadcast(&u->cond);
	pthread_mutex_unlock(&u->lock);
}

static void *thread_main(void *arg)
{
	struct ring_thread *t = arg;
	struct pl_uring *u = t->u;
	struct io_uring_cqe *cqe;

	pin(t->qid);
	int rc = setup(t);
	report(u, rc);
	if (rc < 0)
		return NULL;

	pthread_mutex_lock(&u->lock);
	while (u->state == WAITING)
		pthread_cond_wait(&u->cond, &u->lock);
	enum state s = u->state;
	pthread_mutex_unlock(&u->lock);
	if (s != GO)
		goto out;

	/* allocated here, after INIT fixed the size, on the CPU that uses it */
	if (posix_memalign((void **)&t->buf, 4096, HEADROOM + u->payload_sz) != 0) {
		fprintf(stderr, "proclua: io_uring: queue %u: out of memory\n", t->qid);
		give_up(t);
		goto out;
	}
	t->payload = t->buf + HEADROOM;
	t->iov[0] = (struct iovec){ t->hdr, sizeof *t->hdr };
	t->iov[1] = (struct iovec){ t->payload, u->payload_sz };

	struct io_uring_sqe *sqe = io_uring_get_sqe(&t->ring);
	memset(sqe, 0, 128);
	io_uring_prep_poll_add(sqe, u->stop_fd, POLLIN);
	sqe->user_data = TAG_STOP;
	if (queue_register(t) < 0 || io_uring_submit(&t->ring) < 0) {
		give_up(t);
		goto out;
	}
	/* A REGISTER the kernel refuses completes within the submission;
	** one that holds waits for the queue's first request. */
	uint32_t last = PL_URING_CMD_REGISTER; /* the command in flight */
	int served_one = 0;
	if (io_uring_cq_ready(&t->ring) == 0) {
		pthread_mutex_lock(&u->lock);
		if (++u->registered == u->nthreads)
			fprintf(stderr, "proclua: io_uring: serving through %u per-CPU queues\n", u->nqueues);
		pthread_mutex_unlock(&u->lock);
	}
	for (;;) {
		rc = io_uring_submit_and_wait(&t->ring, 1);
		if (rc < 0 && rc != -EINTR && rc != -EAGAIN) {
			fprintf(stderr, "proclua: io_uring: queue %u: %s\n", t->qid, strerror(-rc));
			break;
		}
		int stop = 0, entry = 0, res = 0;
		while (io_uring_peek_cqe(&t->ring, &cqe) == 0) {
			if (cqe->user_data == TAG_STOP)
				stop = 1;
			else
				entry = 1, res = cqe->res;
			io_uring_cqe_seen(&t->ring, cqe);
		}
		if (entry && res == 0) { /* a request: serve it, reply and fetch */
			served_one = 1;
			serve(t);
			last = PL_URING_CMD_COMMIT_AND_FETCH;
			cmd_sqe(t, last, (uint16_t)t->qid, t->commit);
			if (stop) { /* send the reply; the entry is cancelled with the ring */
				io_uring_submit(&t->ring);
				break;
			}
			continue;
		}
		if (stop)
			break;
		if (!entry)
			continue;
		if (res == -ENOTCONN || res == -ECONNABORTED || res == -ECANCELED)
			break; /* unmounted or aborted: the kernel let go of the entry */
		if (res == -EAGAIN || res == -EINTR) {
			/* REGISTER before the connection is initialized: again shortly */
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
			if (last == PL_URING_CMD_REGISTER)
				queue_register(t);
			else
				cmd_sqe(t, last, (uint16_t)t->qid, t->commit);
			continue;
		}
		if (last == PL_URING_CMD_COMMIT_AND_FETCH) {
			/* a commit the kernel did not take (its request was ended
			** without us): the entry is spent, hand the buffers over anew */
			fprintf(stderr, "proclua: io_uring: queue %u: commit: %s\n", t->qid, strerror(-res));
			last = PL_URING_CMD_REGISTER;
			queue_register(t);
			continue;
		}
		/* A refused REGISTER: before any request, the kernel gives up on
		** io_uring and /dev/fuse serves; later, this CPU's queue has one
		** entry less (none, if the other thread's went the same way). */
		fprintf(stderr, "proclua: io_uring: queue %u: register: %s;%s\n", t->qid, strerror(-res),
		        served_one ? " one entry less for its CPU" : " serving through /dev/fuse");
		break;
	}
out:
	io_uring_queue_exit(&t->ring);
	return NULL;
}

/* ---- start and stop ---- */

/* How many queues the kernel makes: num_possible_cpus(). */
static unsigned possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	unsigned n = 0;
	if (f) {
		unsigned a, b;
		char sep;
		for (;;) {
			if (fscanf(f, "%u", &a) != 1)
				break;
			b = a;
			int c = fgetc(f);
			if (c == '-') {
				if (fscanf(f, "%u", &b) != 1)
					break;
				c = fgetc(f);
			}
			n += b >= a ? b - a + 1 : 0;
			sep = (char)c;
			if (sep != ',')
				break;
		}
		fclose(f);
	}
	return n ? n : (unsigned)get_nprocs_conf();
}

/* Whether the fuse module lets a daemon use io_uring: the reason if not. */
static const char *unavailable(void)
{
	FILE *f = fopen(ENABLE_PARAM, "r");
	if (!f)
		return "this kernel has no FUSE over io_uring (no " ENABLE_PARAM ")";
	int c = fgetc(f);
	fclose(f);
	if (c != 'Y' && c != 'y' && c != '1')
		return "it is off (" ENABLE_PARAM " is N; root may write Y)";
	return NULL;
}

static void stop_threads(struct pl_uring *u)
{
	uint64_t one = 1;
	release_threads(u, CANCELLED);
	if (write(u->stop_fd, &one, sizeof one) != sizeof one)
		perror("proclua: io_uring: eventfd");
	for (unsigned i = 0; i < u->nthreads; i++)
		if (u->t[i].started)
			pthread_join(u->t[i].thread, NULL);
}

static void destroy(struct pl_uring *u)
{
	for (unsigned i = 0; i < u->nthreads; i++) {
		free(u->t[i].hdr);
		free(u->t[i].buf);
	}
	if (u->stop_fd >= 0)
		close(u->stop_fd);
	pthread_cond_destroy(&u->cond);
	pthread_mutex_destroy(&u->lock);
	free(u);
}

struct pl_uring *pl_uring_start(struct fuse_session *se)
{
	const char *why = unavailable();
	if (why) {
		fprintf(stderr, "proclua: io_uring: %s; serving through /dev/fuse\n", why);
		return NULL;
	}
	unsigned nq = possible_cpus();
	struct pl_uring *u = calloc(1, sizeof *u + (size_t)nq * QUEUE_THREADS * sizeof u->t[0]);
	if (!u) {
		fprintf(stderr, "proclua: io_uring: out of memory; serving through /dev/fuse\n");
		return NULL;
	}
	u->se = se;
	u->fd = fuse_session_fd(se);
	u->nqueues = nq;
	u->nthreads = nq * QUEUE_THREADS;
	pthread_mutex_init(&u->lock, NULL);
	pthread_cond_init(&u->cond, NULL);
	u->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (u->stop_fd < 0) {
		fprintf(stderr, "proclua: io_uring: eventfd: %s; serving through /dev/fuse\n", strerror(errno));
		destroy(u);
		return NULL;
	}

	/* Signals go to the loop's threads, which end the session; a ring
	** thread would only be interrupted. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	unsigned made = 0;
	int err = 0;
	for (unsigned i = 0; i < u->nthreads; i++) {
		struct ring_thread *t = &u->t[i];
		t->u = u;
		t->qid = i % nq;
		if ((err = pthread_create(&t->thread, NULL, thread_main, t)) != 0)
			break;
		t->started = 1;
		made++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	pthread_mutex_lock(&u->lock);
	while (u->setup_done < made)
		pthread_cond_wait(&u->cond, &u->lock);
	int setup_err = u->setup_failed ? u->setup_err : 0;
	pthread_mutex_unlock(&u->lock);
	if (err || setup_err) {
		fprintf(stderr, "proclua: io_uring: %s: %s; serving through /dev/fuse\n",
		        err ? "threads" : "io_uring_setup", strerror(err ? err : -setup_err));
		stop_threads(u);
		destroy(u);
		return NULL;
	}
	the = u;
	int rc = fuse_session_custom_io(se, &hooks, u->fd);
	if (rc < 0) {
		the = NULL;
		fprintf(stderr, "proclua: io_uring: custom io: %s; serving through /dev/fuse\n", strerror(-rc));
		stop_threads(u);
		destroy(u);
		return NULL;
	}
	return u;
}

void pl_uring_stop(struct pl_uring *u)
{
	if (!u)
		return;
	stop_threads(u);
	if (u->state == GO) { /* which CPUs' requests the rings served */
		char line[512];
		uint64_t total = 0;
		int n = 0;
		for (unsigned q = 0; q < u->nqueues; q++) {
			uint64_t c = 0;
			for (unsigned i = q; i < u->nthreads; i += u->nqueues)
				c += u->t[i].served;
			total += c;
			if (n >= 0 && (size_t)n < sizeof line)
				n += snprintf(line + n, sizeof line - (size_t)n, "%s%u: %llu",
				              q ? ", " : "", q, (unsigned long long)c);
		}
		fprintf(stderr, "proclua: io_uring: served %llu requests (by queue: %s)\n",
		        (unsigned long long)total, line);
	}
	the = NULL;
	destroy(u);
}

#else /* !PROCLUA_HAVE_URING */

struct pl_uring *pl_uring_start(struct fuse_session *se)
{
	(void)se;
	fprintf(stderr, "proclua: io_uring: built without liburing; serving through /dev/fuse\n");
	return NULL;
}

void pl_uring_stop(struct pl_uring *u)
{
	(void)u;
}

int pl_uring_thread(void)
{
	return 0;
}

#endif
