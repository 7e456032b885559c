/* sd-notetype.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sd-collection.h"

G_BEGIN_DECLS

typedef enum
{
  SD_NOTETYPE_STANDARD = 0,
  SD_NOTETYPE_CLOZE = 1,
} SdNotetypeKind;

/* Anki's StockKind numbers, kept so exports carry originalStockKind. */
typedef enum
{
  SD_STOCK_NONE = -1,
  SD_STOCK_BASIC = 0,
  SD_STOCK_BASIC_AND_REVERSED = 1,
  SD_STOCK_BASIC_OPTIONAL_REVERSED = 2,
  SD_STOCK_BASIC_TYPING = 3,
  SD_STOCK_CLOZE = 4,
} SdStockKind;

typedef struct
{
  char    *name;
  char    *font;
  int      size;
  gboolean rtl;
  gboolean sticky;
  char    *description;
  char    *anki_extra;
  int      ord;       /* position in the collection when loaded, -1 if added since */
} SdField;

typedef struct
{
  char    *name;
  char    *front;
  char    *back;
  char    *browser_front;
  char    *browser_back;
  gint64   deck_override;
  char    *anki_extra;
  int      ord;       /* position in the collection when loaded, -1 if added since */
} SdCardTemplate;

typedef struct
{
  gint64          id;
  char           *name;
  SdNotetypeKind  kind;
  char           *css;
  guint           sort_field;
  SdStockKind     stock_kind;
  char           *latex_pre;
  char           *latex_post;
  gint64          mtime;
  char           *anki_extra;
  GPtrArray      *fields;     /* SdField, in order */
  GPtrArray      *templates;  /* SdCardTemplate, in order */
} SdNotetype;

SdNotetype     *sd_notetype_new             (const char      *name,
                                             SdNotetypeKind   kind);
SdNotetype     *sd_notetype_new_stock       (SdStockKind      stock);
void            sd_notetype_free            (SdNotetype      *notetype);
SdNotetype     *sd_notetype_copy            (const SdNotetype *notetype);
SdField        *sd_notetype_add_field       (SdNotetype      *notetype,
                                             const char      *name);
SdCardTemplate *sd_notetype_add_template    (SdNotetype      *notetype,
                                             const char      *name,
                                             const char      *front,
                                             const char      *back);
int             sd_notetype_field_index     (const SdNotetype *notetype,
                                             const char      *name);
gboolean        sd_notetype_same_layout     (const SdNotetype *a,
                                             const SdNotetype *b);

gboolean        sd_notetype_add_stock       (SdCollection    *collection,
                                             GError         **error);
gboolean        sd_notetype_insert          (SdCollection    *collection,
                                             SdNotetype      *notetype,
                                             GError         **error);
gboolean        sd_notetype_update          (SdCollection    *collection,
                                             SdNotetype      *notetype,
                                             GError         **error);
gboolean        sd_notetype_delete          (SdCollection    *collection,
                                             gint64           id,
                                             GError         **error);
SdNotetype     *sd_notetype_load            (SdCollection    *collection,
                                             gint64           id,
                                             GError         **error);
SdNotetype     *sd_notetype_find_by_name    (SdCollection    *collection,
                                             const char      *name,
                                             GError         **error);
SdNotetype     *sd_notetype_find_stock      (SdCollection    *collection,
                                             SdStockKind      stock,
                                             GError         **error);
GPtrArray      *sd_notetype_list            (SdCollection    *collection,
                                             GError         **error);

/* What sd_notetype_get_usage() counts. */
typedef struct
{
  gint64 notes;
  gint64 cards;
  gint64 file_notes;  /* notes made from cards written in Markdown note files */
} SdNotetypeUsage;

/* What sd_notetype_save_changes() did to the notes and cards of the type. */
typedef struct
{
  guint notes_changed;
  guint cards_added;
  guint cards_removed;
} SdNotetypeChanges;

/* Editing a note type: change a loaded copy with these (nothing is written
 * yet; fields and card types keep the position they were loaded from in
 * their ord), then write it with sd_notetype_save_changes(). */
char           *sd_notetype_valid_field_name    (const SdNotetype *notetype,
                                                 const char      *name,
                                                 int              except,
                                                 GError         **error);
char           *sd_notetype_valid_template_name (const SdNotetype *notetype,
                                                 const char      *name,
                                                 int              except,
                                                 GError         **error);
gboolean        sd_notetype_rename_field        (SdNotetype      *notetype,
                                                 guint            index,
                                                 const char      *name,
                                                 GError         **error);
gboolean        sd_notetype_remove_field        (SdNotetype      *notetype,
                                                 guint            index,
                                                 GError         **error);
void            sd_notetype_move_field          (SdNotetype      *notetype,
                                                 guint            from,
                                                 guint            to);
gboolean        sd_notetype_rename_template     (SdNotetype      *notetype,
                                                 guint            index,
                                                 const char      *name,
                                                 GError         **error);
gboolean        sd_notetype_remove_template     (SdNotetype      *notetype,
                                                 guint            index,
                                                 GError         **error);
void            sd_notetype_move_template       (SdNotetype      *notetype,
                                                 guint            from,
                                                 guint            to);
char           *sd_notetype_new_template_name   (const SdNotetype *notetype);
gboolean        sd_notetype_check_template      (const SdNotetype *notetype,
                                                 guint            index,
                                                 GError         **error);
gboolean        sd_notetype_check_templates     (const SdNotetype *notetype,
                                                 GError         **error);
char          **sd_notetype_map_fields          (const SdNotetype *notetype,
                                                 const char * const *values);

gboolean        sd_notetype_save_changes        (SdCollection    *collection,
                                                 SdNotetype      *notetype,
                                                 SdNotetypeChanges *changes,
                                                 GError         **error);
SdNotetype     *sd_notetype_clone               (SdCollection    *collection,
                                                 const SdNotetype *source,
                                                 const char      *name,
                                                 GError         **error);
gboolean        sd_notetype_rename              (SdCollection    *collection,
                                                 SdNotetype      *notetype,
                                                 const char      *name,
                                                 GError         **error);
gboolean        sd_notetype_delete_with_notes   (SdCollection    *collection,
                                                 gint64           id,
                                                 GError         **error);
gboolean        sd_notetype_get_usage           (SdCollection    *collection,
                                                 gint64           id,
                                                 SdNotetypeUsage *usage,
                                                 GError         **error);
gint64          sd_notetype_count_template_cards (SdCollection   *collection,
                                                 gint64           id,
                                                 guint            ord,
                                                 GError         **error);
gint64          sd_notetype_count_field_notes   (SdCollection    *collection,
                                                 gint64           id,
                                                 guint            ord,
                                                 GError         **error);
gint64          sd_notetype_first_note_id       (SdCollection    *collection,
                                                 gint64           id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdNotetype, sd_notetype_free)

G_END_DECLS
