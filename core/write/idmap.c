/*
** uid_map, gid_map, projid_map and setgroups of a world's task, by Linux's
** rules (kernel/user_namespace.c: proc_uid_map_write, proc_projid_map_write,
** map_write,
** new_idmap_permitted, verify_root_map, proc_setgroups_write; and
** fs/proc/base.c: proc_setgroups_open).
**
** A world's namespace is a child of the top (the daemon's own user
** namespace), owned by the euid of the task that declares it
** (pl_userns_declared); a task whose namespace is the top has no parent,
** and its maps are never written.  Whoever opens the file is a host
** process, so it stands where map_write wants the opener (the namespace
** or its parent) when it is in the top, or in a namespace whose inode
** number is the world's.  Lower ids are kept as the top names them: the
** parent's map they go through is the top's own.
**
** projid_map is map_write with no capability to ask for (cap_setid -1):
** neither CAP_SYS_ADMIN over the namespace nor new_idmap_permitted's
** rules, only where the opener stands, the one write, the parser and the
** parent's (the top's) projid_map naming every lower id.
**
** Everything the decision needs from the callers (their capabilities,
** their namespaces) is worked out before the transaction; the transaction
** itself, under the model's write lock, checks what a racing write could
** have changed (the map written once; setgroups) and commits.
*/
#include "write/write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format/format.h"
#include "source/userns.h"
#include "write/kstrto.h"

/* The namespace's parent: the chain without its head. */
static void parent_of(const struct pl_userns_chain *ns, struct pl_userns_chain *out)
{
	out->n = ns->n - 1;
	memcpy(out->ns, ns->ns + 1, (size_t)out->n * sizeof out->ns[0]);
}

static int same_ns(const struct pl_caller *c, uint64_t ino)
{
	return c->userns.n > 0 && c->userns.ns[0].ino == ino;
}

/* sort_idmaps: past UID_GID_MAP_MAX_BASE_EXTENTS, kept (and shown) by first id. */
#define BASE_EXTENTS 5

static int by_first(const void *a, const void *b)
{
	const struct pl_idmap_extent *x = a, *y = b;
	return x->first < y->first ? -1 : x->first > y->first;
}

enum { MAP_UID, MAP_GID, MAP_PROJID };

/* A map write, decided as far as it can be outside the lock. */
struct map_write {
	int kind;                  /* MAP_*: which map, and pl_userns_top_names' kind */
	int gids;                  /* kind == MAP_GID */
	ssize_t early;             /* -EPERM or -EINVAL once the map is found unwritten */
	int root_ok;               /* verify_root_map (uid_map only) */
	int own_id;                /* the unprivileged case: one id, the opener's own */
	int caps_ok;               /* CAP_SETUID/CAP_SETGID over the parent, both */
	int unmapped;              /* a lower range the parent does not name */
	struct pl_idmap_extent ext[PL_IDMAP_MAX_EXTENTS];
	size_t n;
};

static ssize_t install_map(void *arg, struct pl_task *t)
{
	struct map_write *m = arg;
	/* only one successful write to each map */
	if (m->kind == MAP_PROJID ? t->nprojid_map : m->gids ? t->ngid_map : t->nuid_map)
		return -EPERM;
	if (m->early)
		return m->early;
	/* a gid_map of the opener's own gid alone needs setgroups denied first */
	int own = m->own_id && (!m->gids || !t->setgroups_allowed);
	if (!m->root_ok || !(own || m->caps_ok) || m->unmapped)
		return -EPERM;
	if (m->kind == MAP_PROJID) {
		t->projid_map = m->ext;
		t->nprojid_map = m->n;
	} else if (m->gids) {
		t->gid_map = m->ext;
		t->ngid_map = m->n;
	} else {
		t->uid_map = m->ext;
		t->nuid_map = m->n;
	}
	return 0;
}

/* new_idmap_permitted and the translation through the parent's map, for
** the extents m->ext as parsed (lower ids in the parent's terms). */
static void judge(const struct pl_write *w, const struct pl_userns_chain *ns,
                  struct map_write *m)
{
	struct pl_caller *opener = w->opener;
	struct pl_userns_chain parent;
	parent_of(ns, &parent);
	for (size_t i = 0; i < m->n; i++)
		if (!pl_userns_top_names(m->kind, m->ext[i].lower_first, m->ext[i].count))
			m->unmapped = 1;
	if (m->n > BASE_EXTENTS)
		qsort(m->ext, m->n, sizeof m->ext[0], by_first);
	if (m->kind == MAP_PROJID) { /* !cap_valid(cap_setid): anyone may */
		m->root_ok = m->caps_ok = 1;
		return;
	}
	int cap_setid = m->gids ? PL_CAP_SETGID : PL_CAP_SETUID;

	/* verify_root_map: mapping the parent's uid 0 needs CAP_SETFCAP of
	** the opener over the parent; an opener inside the namespace needs
	** its creator to have held it, which a world does not declare: it
	** is taken as held when the owner is root. */
	m->root_ok = 1;
	for (size_t i = 0; !m->gids && i < m->n; i++)
		if (m->ext[i].lower_first == 0) {
			m->root_ok = same_ns(opener, ns->ns[0].ino)
			                     ? ns->ns[0].owner == 0
			                     : pl_caller_ns_capable(opener, &parent, PL_CAP_SETFCAP);
			break;
		}

	if (m->n == 1 && m->ext[0].count == 1 && pl_caller_load(opener) == 0 &&
	    ns->ns[0].owner == opener->euid) {
		uint32_t id = m->ext[0].lower_first;
		m->own_id = pl_userns_top_names(m->kind, id, 1) &&
		            id == (m->gids ? opener->egid : opener->euid);
	}
	/* ns_capable for the writer (current), file_ns_capable for the opener */
	m->caps_ok = pl_caller_ns_capable(w->writer, &parent, cap_setid) &&
	             pl_caller_ns_capable(opener, &parent, cap_setid);
}

static ssize_t map_write(const struct pl_write *w, int kind)
{
	struct pl_userns_chain ns;
	int rc = w->src->ops->userns(w->src, w->tgid, w->tid, &ns);
	if (rc < 0)
		return rc;
	/* the initial namespace's maps are fixed; the opener must see the
	** namespace from inside it or from its parent */
	if (ns.n < 2 || !(same_ns(w->opener, ns.ns[0].ino) || same_ns(w->opener, ns.ns[1].ino)))
		return -EPERM;
	long page = sysconf(_SC_PAGESIZE);
	if (w->off != 0 || w->len >= (size_t)(page > 0 ? page : 4096))
		return -EINVAL;

	struct map_write *m = calloc(1, sizeof *m);
	if (!m)
		return -ENOMEM;
	m->kind = kind;
	m->gids = kind == MAP_GID;
	if (kind != MAP_PROJID && !pl_caller_ns_capable(w->opener, &ns, PL_CAP_SYS_ADMIN))
		m->early = -EPERM;
	else if (pl_idmap_parse_write(w->buf, w->len, m->ext, PL_IDMAP_MAX_EXTENTS, &m->n) < 0)
		m->early = -EINVAL;
	else
		judge(w, &ns, m);
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_IDMAP, install_map, m);
	free(m);
	return n < 0 ? n : (ssize_t)w->len;
}

ssize_t pl_write_uid_map(const struct pl_write *w) { return map_write(w, MAP_UID); }
ssize_t pl_write_gid_map(const struct pl_write *w) { return map_write(w, MAP_GID); }
ssize_t pl_write_projid_map(const struct pl_write *w) { return map_write(w, MAP_PROJID); }

/* proc_setgroups_open: writing needs CAP_SYS_ADMIN over the namespace. */
int pl_write_open_setgroups(const struct pl_write *w)
{
	struct pl_userns_chain ns;
	int rc = w->src->ops->userns(w->src, w->tgid, w->tid, &ns);
	if (rc < 0)
		return rc;
	return pl_caller_ns_capable(w->opener, &ns, PL_CAP_SYS_ADMIN) ? 0 : -EACCES;
}

static ssize_t set_setgroups(void *arg, struct pl_task *t)
{
	int allow = *(const int *)arg;
	if (allow)
		return t->setgroups_allowed ? 0 : -EPERM; /* no way back from deny */
	if (t->ngid_map)
		return -EPERM; /* a written gid_map has let setgroups in */
	t->setgroups_allowed = 0;
	return 0;
}

/* proc_setgroups_write: "allow" or "deny", then only spaces, in under 8 bytes. */
ssize_t pl_write_setgroups(const struct pl_write *w)
{
	char kbuf[8];
	if (w->off != 0 || w->len >= sizeof kbuf)
		return -EINVAL;
	memcpy(kbuf, w->buf, w->len);
	kbuf[w->len] = '\0';
	int allow;
	char *rest;
	if (strncmp(kbuf, "allow", 5) == 0)
		allow = 1, rest = kbuf + 5;
	else if (strncmp(kbuf, "deny", 4) == 0)
		allow = 0, rest = kbuf + 4;
	else
		return -EINVAL;
	if (*pl_strstrip(rest) != '\0')
		return -EINVAL;
	ssize_t n = w->src->ops->update(w->src, w->tgid, w->tid, PL_F_IDMAP, set_setgroups, &allow);
	return n < 0 ? n : (ssize_t)w->len;
}
