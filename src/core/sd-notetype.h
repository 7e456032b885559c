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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdNotetype, sd_notetype_free)

G_END_DECLS
