/*
** pl_layout: lookup in a compiled layout, its task directories' link
** counts, and its release.
*/
#include "tree/layout.h"

#include <stdlib.h>
#include <string.h>

int pl_layout_find(const struct pl_layout *l, uint32_t first, uint32_t n,
                   const char *name, size_t len, int tid_dir)
{
	for (uint32_t i = first; i < first + n; i++) {
		const struct pl_entry *e = &l->entries[i];
		if (e->len == len && memcmp(e->name, name, len) == 0 &&
		    pl_entry_visible(e, tid_dir))
			return (int)i;
	}
	return -1;
}

void pl_layout_count_task_links(struct pl_layout *l)
{
	for (int tid_dir = 0; tid_dir < 2; tid_dir++) {
		uint32_t n = 2;
		for (uint32_t i = l->task_first; i < l->task_first + l->task_n; i++)
			n += pl_entry_visible(&l->entries[i], tid_dir) &&
			     pl_entry_type(&l->entries[i]) == S_IFDIR;
		l->task_links[tid_dir] = n;
	}
}

void pl_layout_free(struct pl_layout *l)
{
	if (!l)
		return;
	free(l->entries);
	free(l->strings);
	if (l->more) {
		pl_arena_free(l->more);
		free(l->more);
	}
	free(l);
}
