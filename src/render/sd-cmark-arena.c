/* sd-cmark-arena.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-cmark-arena.h"

#include <string.h>

/* cmark allocates every node, literal and buffer on its own (calloc,
 * realloc, free): most of a parse went to the allocator, and freeing the
 * tree took a tenth of it again. A parse takes its memory from an arena
 * instead, bump-allocated in zeroed chunks and dropped whole when the walk
 * is done. cmark_mem carries no data: the arena is the thread's current one
 * (notes are rendered in worker threads too). */
typedef struct _ArenaChunk ArenaChunk;

struct _ArenaChunk
{
  ArenaChunk *next;
  gsize       size;        /* bytes after the header */
  gsize       used;
  gsize       last;        /* offset of the last block, for growing it in place */
};

struct _SdCmarkArena
{
  ArenaChunk *chunks;      /* current first */
  gsize       chunk_size;
};

/* Before each block: its size (for realloc), keeping blocks 16-aligned. */
typedef struct
{
  gsize size;
  gsize unused;
} ArenaBlock;

#define ARENA_ALIGN(n) (((n) + 15) & ~(gsize) 15)
#define CHUNK_DATA(chunk) ((guint8 *) (chunk) + ARENA_ALIGN (sizeof (ArenaChunk)))

static GPrivate current_arena;
/* The largest chunk of the thread's last arena, zeroed again for the next
 * parse: new memory costs a page fault per page on first touch. Only
 * chunks of notes up to about 128 KB are kept, the ones opened while the
 * user waits for the next frame: longer notes are parsed in worker
 * threads, and each of those would hold its chunk for its whole life. */
static GPrivate spare_chunk = G_PRIVATE_INIT (g_free);

#define SPARE_CHUNK_MAX (1024 * 1024)

static void *
arena_alloc (SdCmarkArena *arena,
             gsize         size)
{
  ArenaChunk *chunk = arena->chunks;
  gsize need = sizeof (ArenaBlock) + ARENA_ALIGN (size);
  ArenaBlock *block;

  if (chunk == NULL || chunk->size - chunk->used < need)
    {
      gsize data_size = MAX (arena->chunk_size, need);
      ArenaChunk *spare = g_private_get (&spare_chunk);

      /* Chunks are zeroed and blocks never reused: calloc() as is. */
      if (spare != NULL && spare->size >= data_size)
        {
          chunk = spare;
          g_private_set (&spare_chunk, NULL);
        }
      else
        {
          chunk = g_malloc0 (ARENA_ALIGN (sizeof (ArenaChunk)) + data_size);
          chunk->size = data_size;
        }
      chunk->next = arena->chunks;
      arena->chunks = chunk;
    }

  block = (ArenaBlock *) (CHUNK_DATA (chunk) + chunk->used);
  block->size = size;
  chunk->last = chunk->used;
  chunk->used += need;

  return block + 1;
}

static void *
arena_calloc (size_t n,
              size_t size)
{
  SdCmarkArena *arena = g_private_get (&current_arena);

  g_assert (arena != NULL);
  if (size != 0 && n > G_MAXSIZE / size)
    g_error ("cmark allocation too large");

  return arena_alloc (arena, n * size);
}

static void *
arena_realloc (void   *ptr,
               size_t  size)
{
  SdCmarkArena *arena = g_private_get (&current_arena);
  ArenaChunk *chunk;
  ArenaBlock *block;
  void *grown;

  g_assert (arena != NULL);

  if (ptr == NULL)
    return arena_alloc (arena, size);

  block = (ArenaBlock *) ptr - 1;
  if (size <= block->size)
    return ptr;

  /* cmark grows its buffers while it appends: the last block grows where
   * it is if the chunk has room. */
  chunk = arena->chunks;
  if ((guint8 *) block == CHUNK_DATA (chunk) + chunk->last &&
      chunk->size - chunk->last >= sizeof (ArenaBlock) + ARENA_ALIGN (size))
    {
      chunk->used = chunk->last + sizeof (ArenaBlock) + ARENA_ALIGN (size);
      block->size = size;
      return ptr;
    }

  grown = arena_alloc (arena, size);
  memcpy (grown, ptr, block->size);

  return grown;
}

static void
arena_free (void *ptr)
{
  /* Everything goes with the arena. */
}

static cmark_mem arena_mem = { arena_calloc, arena_realloc, arena_free };

SdCmarkArena *
sd_cmark_arena_push (gsize size_hint)
{
  SdCmarkArena *arena = g_new0 (SdCmarkArena, 1);

  g_assert (g_private_get (&current_arena) == NULL);

  arena->chunk_size = CLAMP (size_hint * 8, 64 * 1024, 16 * 1024 * 1024);
  g_private_set (&current_arena, arena);

  return arena;
}

static gboolean
chunk_is_kept (ArenaChunk *chunk,
               ArenaChunk *spare)
{
#ifdef __SANITIZE_ADDRESS__
  /* Every chunk is freed, so that a pointer kept past the walk is caught. */
  return FALSE;
#else
  return chunk->size <= SPARE_CHUNK_MAX && (spare == NULL || spare->size < chunk->size);
#endif
}

void
sd_cmark_arena_pop (SdCmarkArena *arena)
{
  g_private_set (&current_arena, NULL);
  while (arena->chunks != NULL)
    {
      ArenaChunk *chunk = arena->chunks;
      ArenaChunk *spare = g_private_get (&spare_chunk);

      arena->chunks = chunk->next;
      if (chunk_is_kept (chunk, spare))
        {
          memset (CHUNK_DATA (chunk), 0, chunk->used);
          chunk->used = chunk->last = 0;
          chunk->next = NULL;
          g_private_replace (&spare_chunk, chunk);
        }
      else
        {
          g_free (chunk);
        }
    }
  g_free (arena);
}

cmark_node *
sd_cmark_arena_parse (const char *text,
                gsize       length,
                int         options)
{
  cmark_parser *parser = cmark_parser_new_with_mem (options, &arena_mem);
  cmark_node *root;

  cmark_parser_feed (parser, text, length);
  root = cmark_parser_finish (parser);
  cmark_parser_free (parser);

  return root;
}
