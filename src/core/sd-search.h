/* sd-search.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_SEARCH_ERROR (sd_search_error_quark ())

typedef enum
{
  SD_SEARCH_ERROR_SYNTAX,    /* parentheses, quotes, operators, escapes */
  SD_SEARCH_ERROR_INVALID,   /* a well-formed term with a value it cannot take */
} SdSearchError;

/* What a search returns: cards, or the notes that have a matching card. */
typedef enum
{
  SD_SEARCH_CARDS,
  SD_SEARCH_NOTES,
} SdSearchMode;

/* Anki's search language, parsed: see sd-search.c for the syntax. */
typedef struct _SdSearchNode SdSearchNode;

/* A parsed search written as SQL for one collection, at one moment. */
typedef struct _SdSearchQuery SdSearchQuery;

GQuark          sd_search_error_quark        (void);

SdSearchNode   *sd_search_parse              (const char           *query,
                                              int                  *error_position,
                                              GError              **error);
void            sd_search_node_free          (SdSearchNode         *node);
char           *sd_search_node_to_string     (const SdSearchNode   *node);

SdSearchQuery  *sd_search_compile            (SdCollection         *collection,
                                              const SdSearchNode   *node,
                                              SdSearchMode          mode,
                                              int                   rollover_hour,
                                              GError              **error);
SdSearchQuery  *sd_search_query_new          (SdCollection         *collection,
                                              const char           *query,
                                              SdSearchMode          mode,
                                              GError              **error);
void            sd_search_query_free         (SdSearchQuery        *query);
const char     *sd_search_query_get_sql      (const SdSearchQuery  *query);
const char     *sd_search_query_get_where    (const SdSearchQuery  *query);
gboolean        sd_search_query_uses_notes   (const SdSearchQuery  *query);
gboolean        sd_search_query_uses_cards   (const SdSearchQuery  *query);
guint           sd_search_query_get_n_params (const SdSearchQuery  *query);
char           *sd_search_query_describe_param (const SdSearchQuery *query,
                                              guint                 index);
void            sd_search_query_bind         (const SdSearchQuery  *query,
                                              sqlite3_stmt         *stmt);
GArray         *sd_search_query_select_ids   (const SdSearchQuery  *query,
                                              SdCollection         *collection,
                                              const char           *sql,
                                              GError              **error);
gint64          sd_search_query_get_today    (const SdSearchQuery  *query);
int             sd_search_query_get_rollover_hour (const SdSearchQuery *query);

GArray         *sd_search_cards              (SdCollection         *collection,
                                              const char           *query,
                                              GError              **error);
GArray         *sd_search_notes              (SdCollection         *collection,
                                              const char           *query,
                                              GError              **error);

int             sd_search_rollover_hour      (SdCollection         *collection);
gboolean        sd_search_register_functions (SdCollection         *collection,
                                              GError              **error);
char           *sd_search_quote_term         (const char           *key,
                                              const char           *value);
gboolean        sd_search_glob_match         (const char           *glob,
                                              const char           *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSearchNode, sd_search_node_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSearchQuery, sd_search_query_free)

G_END_DECLS
