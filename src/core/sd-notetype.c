/* sd-notetype.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-card.h"
#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-deck.h"
#include "sd-html-text.h"
#include "sd-note.h"
#include "sd-notetype.h"
#include "sd-template.h"

static const char stock_css[] =
  ".card {\n"
  "    font-family: arial;\n"
  "    font-size: 20px;\n"
  "    line-height: 1.5;\n"
  "    text-align: center;\n"
  "    color: black;\n"
  "    background-color: white;\n"
  "}\n";

static const char cloze_css[] =
  ".cloze {\n"
  "    font-weight: bold;\n"
  "    color: blue;\n"
  "}\n"
  ".nightMode .cloze {\n"
  "    color: lightblue;\n"
  "}\n";

static const char basic_back[] = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}";
static const char reverse_back[] = "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}";

static void
field_free (SdField *field)
{
  g_free (field->name);
  g_free (field->font);
  g_free (field->description);
  g_free (field->anki_extra);
  g_free (field);
}

static void
template_free (SdCardTemplate *tmpl)
{
  g_free (tmpl->name);
  g_free (tmpl->front);
  g_free (tmpl->back);
  g_free (tmpl->browser_front);
  g_free (tmpl->browser_back);
  g_free (tmpl->anki_extra);
  g_free (tmpl);
}

SdNotetype *
sd_notetype_new (const char     *name,
                 SdNotetypeKind  kind)
{
  SdNotetype *notetype = g_new0 (SdNotetype, 1);

  notetype->name = g_strdup (name);
  notetype->kind = kind;
  notetype->css = kind == SD_NOTETYPE_CLOZE
    ? g_strconcat (stock_css, "\n", cloze_css, NULL)
    : g_strdup (stock_css);
  notetype->stock_kind = SD_STOCK_NONE;
  notetype->latex_pre = g_strdup ("");
  notetype->latex_post = g_strdup ("");
  notetype->anki_extra = g_strdup ("");
  notetype->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  notetype->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) template_free);
  return notetype;
}

void
sd_notetype_free (SdNotetype *notetype)
{
  if (notetype == NULL)
    return;
  g_free (notetype->name);
  g_free (notetype->css);
  g_free (notetype->latex_pre);
  g_free (notetype->latex_post);
  g_free (notetype->anki_extra);
  g_ptr_array_unref (notetype->fields);
  g_ptr_array_unref (notetype->templates);
  g_free (notetype);
}

SdField *
sd_notetype_add_field (SdNotetype *notetype,
                       const char *name)
{
  SdField *field = g_new0 (SdField, 1);

  field->name = g_strdup (name);
  field->font = g_strdup ("Arial");
  field->size = 20;
  field->description = g_strdup ("");
  field->anki_extra = g_strdup ("");
  field->ord = -1;
  g_ptr_array_add (notetype->fields, field);
  return field;
}

SdCardTemplate *
sd_notetype_add_template (SdNotetype *notetype,
                          const char *name,
                          const char *front,
                          const char *back)
{
  SdCardTemplate *tmpl = g_new0 (SdCardTemplate, 1);

  tmpl->name = g_strdup (name);
  tmpl->front = g_strdup (front);
  tmpl->back = g_strdup (back);
  tmpl->browser_front = g_strdup ("");
  tmpl->browser_back = g_strdup ("");
  tmpl->anki_extra = g_strdup ("");
  tmpl->ord = -1;
  g_ptr_array_add (notetype->templates, tmpl);
  return tmpl;
}

SdNotetype *
sd_notetype_copy (const SdNotetype *notetype)
{
  SdNotetype *copy = sd_notetype_new (notetype->name, notetype->kind);

  copy->id = notetype->id;
  g_free (copy->css);
  copy->css = g_strdup (notetype->css);
  copy->sort_field = notetype->sort_field;
  copy->stock_kind = notetype->stock_kind;
  g_free (copy->latex_pre);
  copy->latex_pre = g_strdup (notetype->latex_pre);
  g_free (copy->latex_post);
  copy->latex_post = g_strdup (notetype->latex_post);
  copy->mtime = notetype->mtime;
  g_free (copy->anki_extra);
  copy->anki_extra = g_strdup (notetype->anki_extra);

  for (guint i = 0; i < notetype->fields->len; i++)
    {
      const SdField *f = g_ptr_array_index (notetype->fields, i);
      SdField *c = sd_notetype_add_field (copy, f->name);

      g_free (c->font);
      c->font = g_strdup (f->font);
      c->size = f->size;
      c->rtl = f->rtl;
      c->sticky = f->sticky;
      g_free (c->description);
      c->description = g_strdup (f->description);
      g_free (c->anki_extra);
      c->anki_extra = g_strdup (f->anki_extra);
      c->ord = f->ord;
    }

  for (guint i = 0; i < notetype->templates->len; i++)
    {
      const SdCardTemplate *t = g_ptr_array_index (notetype->templates, i);
      SdCardTemplate *c = sd_notetype_add_template (copy, t->name, t->front, t->back);

      g_free (c->browser_front);
      c->browser_front = g_strdup (t->browser_front);
      g_free (c->browser_back);
      c->browser_back = g_strdup (t->browser_back);
      c->deck_override = t->deck_override;
      g_free (c->anki_extra);
      c->anki_extra = g_strdup (t->anki_extra);
      c->ord = t->ord;
    }

  return copy;
}

/**
 * sd_notetype_new_stock:
 * @stock: which of Anki's stock note types
 *
 * Returns: (transfer full): an unsaved note type laid out as Anki's stock one
 */
SdNotetype *
sd_notetype_new_stock (SdStockKind stock)
{
  SdNotetype *notetype = NULL;

  switch (stock)
    {
    case SD_STOCK_BASIC:
      notetype = sd_notetype_new ("Basic", SD_NOTETYPE_STANDARD);
      sd_notetype_add_field (notetype, "Front");
      sd_notetype_add_field (notetype, "Back");
      sd_notetype_add_template (notetype, "Card 1", "{{Front}}", basic_back);
      break;

    case SD_STOCK_BASIC_AND_REVERSED:
      notetype = sd_notetype_new ("Basic (and reversed card)", SD_NOTETYPE_STANDARD);
      sd_notetype_add_field (notetype, "Front");
      sd_notetype_add_field (notetype, "Back");
      sd_notetype_add_template (notetype, "Card 1", "{{Front}}", basic_back);
      sd_notetype_add_template (notetype, "Card 2", "{{Back}}", reverse_back);
      break;

    case SD_STOCK_BASIC_OPTIONAL_REVERSED:
      notetype = sd_notetype_new ("Basic (optional reversed card)", SD_NOTETYPE_STANDARD);
      sd_notetype_add_field (notetype, "Front");
      sd_notetype_add_field (notetype, "Back");
      sd_notetype_add_field (notetype, "Add Reverse");
      sd_notetype_add_template (notetype, "Card 1", "{{Front}}", basic_back);
      sd_notetype_add_template (notetype, "Card 2",
                                "{{#Add Reverse}}{{Back}}{{/Add Reverse}}", reverse_back);
      break;

    case SD_STOCK_BASIC_TYPING:
      notetype = sd_notetype_new ("Basic (type in the answer)", SD_NOTETYPE_STANDARD);
      sd_notetype_add_field (notetype, "Front");
      sd_notetype_add_field (notetype, "Back");
      sd_notetype_add_template (notetype, "Card 1", "{{Front}}\n\n{{type:Back}}",
                                "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}");
      break;

    case SD_STOCK_CLOZE:
      notetype = sd_notetype_new ("Cloze", SD_NOTETYPE_CLOZE);
      sd_notetype_add_field (notetype, "Text");
      sd_notetype_add_field (notetype, "Back Extra");
      sd_notetype_add_template (notetype, "Cloze", "{{cloze:Text}}",
                                "{{cloze:Text}}<br>\n{{Back Extra}}");
      break;

    case SD_STOCK_NONE:
    default:
      g_return_val_if_reached (NULL);
    }

  notetype->stock_kind = stock;
  return notetype;
}

int
sd_notetype_field_index (const SdNotetype *notetype,
                         const char       *name)
{
  for (guint i = 0; i < notetype->fields->len; i++)
    {
      const SdField *field = g_ptr_array_index (notetype->fields, i);
      if (g_strcmp0 (field->name, name) == 0)
        return (int) i;
    }
  return -1;
}

/**
 * sd_notetype_same_layout:
 *
 * Returns: whether both have the same kind, field names and templates, which
 *   is what decides that an imported note type is one we already have
 */
gboolean
sd_notetype_same_layout (const SdNotetype *a,
                         const SdNotetype *b)
{
  if (a->kind != b->kind
      || a->fields->len != b->fields->len
      || a->templates->len != b->templates->len)
    return FALSE;

  for (guint i = 0; i < a->fields->len; i++)
    {
      const SdField *fa = g_ptr_array_index (a->fields, i);
      const SdField *fb = g_ptr_array_index (b->fields, i);
      if (g_strcmp0 (fa->name, fb->name) != 0)
        return FALSE;
    }

  for (guint i = 0; i < a->templates->len; i++)
    {
      const SdCardTemplate *ta = g_ptr_array_index (a->templates, i);
      const SdCardTemplate *tb = g_ptr_array_index (b->templates, i);
      if (g_strcmp0 (ta->front, tb->front) != 0 || g_strcmp0 (ta->back, tb->back) != 0)
        return FALSE;
    }

  return TRUE;
}

/* Once written, every field and card type is where the collection has it. */
static void
settle_ords (SdNotetype *notetype)
{
  for (guint i = 0; i < notetype->fields->len; i++)
    ((SdField *) g_ptr_array_index (notetype->fields, i))->ord = (int) i;
  for (guint i = 0; i < notetype->templates->len; i++)
    ((SdCardTemplate *) g_ptr_array_index (notetype->templates, i))->ord = (int) i;
}

static gboolean
write_parts (SdCollection  *collection,
             SdNotetype    *notetype,
             GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = sd_collection_prepare (collection,
                                "DELETE FROM notetype_fields WHERE notetype_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, notetype->id);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;

  stmt = sd_collection_prepare (collection,
                                "DELETE FROM notetype_templates WHERE notetype_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, notetype->id);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;

  for (guint i = 0; i < notetype->fields->len; i++)
    {
      const SdField *field = g_ptr_array_index (notetype->fields, i);

      stmt = sd_collection_prepare (collection,
                                    "INSERT INTO notetype_fields (notetype_id, ord, name, font,"
                                    " size, rtl, sticky, description, anki_extra)"
                                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, notetype->id);
      sqlite3_bind_int (stmt, 2, (int) i);
      sd_bind_text (stmt, 3, field->name);
      sd_bind_text (stmt, 4, field->font ? field->font : "");
      sqlite3_bind_int (stmt, 5, field->size);
      sqlite3_bind_int (stmt, 6, field->rtl);
      sqlite3_bind_int (stmt, 7, field->sticky);
      sd_bind_text (stmt, 8, field->description ? field->description : "");
      sd_bind_text (stmt, 9, field->anki_extra ? field->anki_extra : "");
      if (!sd_collection_step_done (collection, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < notetype->templates->len; i++)
    {
      const SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, i);

      stmt = sd_collection_prepare (collection,
                                    "INSERT INTO notetype_templates (notetype_id, ord, name,"
                                    " front, back, browser_front, browser_back, deck_override,"
                                    " anki_extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, notetype->id);
      sqlite3_bind_int (stmt, 2, (int) i);
      sd_bind_text (stmt, 3, tmpl->name);
      sd_bind_text (stmt, 4, tmpl->front ? tmpl->front : "");
      sd_bind_text (stmt, 5, tmpl->back ? tmpl->back : "");
      sd_bind_text (stmt, 6, tmpl->browser_front ? tmpl->browser_front : "");
      sd_bind_text (stmt, 7, tmpl->browser_back ? tmpl->browser_back : "");
      sqlite3_bind_int64 (stmt, 8, tmpl->deck_override);
      sd_bind_text (stmt, 9, tmpl->anki_extra ? tmpl->anki_extra : "");
      if (!sd_collection_step_done (collection, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
validate (SdNotetype  *notetype,
          GError     **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  if (notetype->name == NULL || *notetype->name == '\0')
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("A note type needs a name"));
      return FALSE;
    }
  if (notetype->fields->len == 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("Note type “%s” has no fields"), notetype->name);
      return FALSE;
    }
  if (notetype->templates->len == 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("Note type “%s” has no card templates"), notetype->name);
      return FALSE;
    }
  for (guint i = 0; i < notetype->fields->len; i++)
    {
      SdField *field = g_ptr_array_index (notetype->fields, i);
      if (field->name == NULL || *field->name == '\0'
          || !g_hash_table_add (names, field->name))
        {
          g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                       _("Note type “%s”: field %u has an empty or repeated name"),
                       notetype->name, i + 1);
          return FALSE;
        }
    }
  if (notetype->sort_field >= notetype->fields->len)
    notetype->sort_field = 0;
  return TRUE;
}

/**
 * sd_notetype_insert:
 *
 * Saves a new note type. A zero id gets a fresh one; a given id is kept (an
 * import keeps Anki's ids so a later export matches them again).
 */
gboolean
sd_notetype_insert (SdCollection  *collection,
                    SdNotetype    *notetype,
                    GError       **error)
{
  sqlite3_stmt *stmt;

  if (!validate (notetype, error))
    return FALSE;

  if (!sd_collection_begin (collection, error))
    return FALSE;

  if (notetype->id == 0)
    notetype->id = sd_collection_new_id (collection, "notetypes");
  if (notetype->mtime == 0)
    notetype->mtime = sd_clock_now ();

  stmt = sd_collection_prepare (collection,
                                "INSERT INTO notetypes (id, name, kind, css, sort_field,"
                                " stock_kind, latex_pre, latex_post, mtime, anki_extra)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, notetype->id);
  sd_bind_text (stmt, 2, notetype->name);
  sqlite3_bind_int (stmt, 3, notetype->kind);
  sd_bind_text (stmt, 4, notetype->css ? notetype->css : "");
  sqlite3_bind_int (stmt, 5, (int) notetype->sort_field);
  sqlite3_bind_int (stmt, 6, notetype->stock_kind);
  sd_bind_text (stmt, 7, notetype->latex_pre ? notetype->latex_pre : "");
  sd_bind_text (stmt, 8, notetype->latex_post ? notetype->latex_post : "");
  sqlite3_bind_int64 (stmt, 9, notetype->mtime);
  sd_bind_text (stmt, 10, notetype->anki_extra ? notetype->anki_extra : "");
  if (!sd_collection_step_done (collection, stmt, error))
    goto fail;

  if (!write_parts (collection, notetype, error))
    goto fail;

  if (!sd_collection_commit (collection, error))
    return FALSE;
  settle_ords (notetype);
  return TRUE;

fail:
  sd_collection_rollback (collection);
  return FALSE;
}

gboolean
sd_notetype_update (SdCollection  *collection,
                    SdNotetype    *notetype,
                    GError       **error)
{
  sqlite3_stmt *stmt;

  if (!validate (notetype, error))
    return FALSE;

  if (!sd_collection_begin (collection, error))
    return FALSE;

  /* Every save moves the time on, even within a second, so that an editor
   * holding an older copy can tell (sd_notetype_save_changes()). */
  notetype->mtime = MAX (sd_clock_now (), notetype->mtime + 1);
  stmt = sd_collection_prepare (collection,
                                "UPDATE notetypes SET name = ?, kind = ?, css = ?,"
                                " sort_field = ?, stock_kind = ?, latex_pre = ?,"
                                " latex_post = ?, mtime = ?, anki_extra = ? WHERE id = ?",
                                error);
  if (stmt == NULL)
    goto fail;
  sd_bind_text (stmt, 1, notetype->name);
  sqlite3_bind_int (stmt, 2, notetype->kind);
  sd_bind_text (stmt, 3, notetype->css ? notetype->css : "");
  sqlite3_bind_int (stmt, 4, (int) notetype->sort_field);
  sqlite3_bind_int (stmt, 5, notetype->stock_kind);
  sd_bind_text (stmt, 6, notetype->latex_pre ? notetype->latex_pre : "");
  sd_bind_text (stmt, 7, notetype->latex_post ? notetype->latex_post : "");
  sqlite3_bind_int64 (stmt, 8, notetype->mtime);
  sd_bind_text (stmt, 9, notetype->anki_extra ? notetype->anki_extra : "");
  sqlite3_bind_int64 (stmt, 10, notetype->id);
  if (!sd_collection_step_done (collection, stmt, error))
    goto fail;

  if (sqlite3_changes (sd_collection_get_db (collection)) == 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("Note type %" G_GINT64_FORMAT " does not exist"), notetype->id);
      goto fail;
    }

  if (!write_parts (collection, notetype, error))
    goto fail;

  if (!sd_collection_commit (collection, error))
    return FALSE;
  settle_ords (notetype);
  return TRUE;

fail:
  sd_collection_rollback (collection);
  return FALSE;
}

gboolean
sd_notetype_delete (SdCollection  *collection,
                    gint64         id,
                    GError       **error)
{
  sqlite3_stmt *stmt;
  gint64 in_use;

  stmt = sd_collection_prepare (collection,
                                "SELECT count(*) FROM notes WHERE notetype_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_step (stmt);
  in_use = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (in_use > 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The note type is used by %" G_GINT64_FORMAT " note",
                                "The note type is used by %" G_GINT64_FORMAT " notes",
                                in_use),
                   in_use);
      return FALSE;
    }

  stmt = sd_collection_prepare (collection, "DELETE FROM notetypes WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;
  sd_collection_touch (collection);
  return TRUE;
}

static SdNotetype *
load_row (SdCollection  *collection,
          sqlite3_stmt  *row,
          GError       **error)
{
  SdNotetype *notetype;
  sqlite3_stmt *stmt;

  notetype = sd_notetype_new ((const char *) sqlite3_column_text (row, 1),
                              sqlite3_column_int (row, 2));
  notetype->id = sqlite3_column_int64 (row, 0);
  g_free (notetype->css);
  notetype->css = sd_column_dup (row, 3);
  notetype->sort_field = sqlite3_column_int (row, 4);
  notetype->stock_kind = sqlite3_column_int (row, 5);
  g_free (notetype->latex_pre);
  notetype->latex_pre = sd_column_dup (row, 6);
  g_free (notetype->latex_post);
  notetype->latex_post = sd_column_dup (row, 7);
  notetype->mtime = sqlite3_column_int64 (row, 8);
  g_free (notetype->anki_extra);
  notetype->anki_extra = sd_column_dup (row, 9);

  stmt = sd_collection_prepare (collection,
                                "SELECT name, font, size, rtl, sticky, description, anki_extra"
                                " FROM notetype_fields WHERE notetype_id = ? ORDER BY ord",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, notetype->id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SdField *field = sd_notetype_add_field (notetype, (const char *) sqlite3_column_text (stmt, 0));

      g_free (field->font);
      field->font = sd_column_dup (stmt, 1);
      field->size = sqlite3_column_int (stmt, 2);
      field->rtl = sqlite3_column_int (stmt, 3);
      field->sticky = sqlite3_column_int (stmt, 4);
      g_free (field->description);
      field->description = sd_column_dup (stmt, 5);
      g_free (field->anki_extra);
      field->anki_extra = sd_column_dup (stmt, 6);
      field->ord = (int) notetype->fields->len - 1;
    }
  sqlite3_reset (stmt);

  stmt = sd_collection_prepare (collection,
                                "SELECT name, front, back, browser_front, browser_back,"
                                " deck_override, anki_extra FROM notetype_templates"
                                " WHERE notetype_id = ? ORDER BY ord",
                                error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, notetype->id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SdCardTemplate *tmpl = sd_notetype_add_template (notetype,
                                                       (const char *) sqlite3_column_text (stmt, 0),
                                                       (const char *) sqlite3_column_text (stmt, 1),
                                                       (const char *) sqlite3_column_text (stmt, 2));
      g_free (tmpl->browser_front);
      tmpl->browser_front = sd_column_dup (stmt, 3);
      g_free (tmpl->browser_back);
      tmpl->browser_back = sd_column_dup (stmt, 4);
      tmpl->deck_override = sqlite3_column_int64 (stmt, 5);
      g_free (tmpl->anki_extra);
      tmpl->anki_extra = sd_column_dup (stmt, 6);
      tmpl->ord = (int) notetype->templates->len - 1;
    }
  sqlite3_reset (stmt);

  return notetype;

fail:
  sd_notetype_free (notetype);
  return NULL;
}

#define NOTETYPE_COLUMNS \
  "SELECT id, name, kind, css, sort_field, stock_kind, latex_pre, latex_post, mtime," \
  " anki_extra FROM notetypes "

static SdNotetype *
load_one (SdCollection  *collection,
          const char    *sql,
          gint64         int_arg,
          const char    *text_arg,
          GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (sd_collection_get_db (collection), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }
  if (text_arg != NULL)
    sqlite3_bind_text (stmt, 1, text_arg, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, int_arg);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("No such note type"));
      return NULL;
    }
  return load_row (collection, stmt, error);
}

SdNotetype *
sd_notetype_load (SdCollection  *collection,
                  gint64         id,
                  GError       **error)
{
  return load_one (collection, NOTETYPE_COLUMNS "WHERE id = ?", id, NULL, error);
}

SdNotetype *
sd_notetype_find_by_name (SdCollection  *collection,
                          const char    *name,
                          GError       **error)
{
  return load_one (collection, NOTETYPE_COLUMNS "WHERE name = ? ORDER BY id LIMIT 1", 0, name,
                   error);
}

/**
 * sd_notetype_find_stock:
 *
 * Cards written in note files are notes of the stock types and fill their
 * fields by position, so only a type still shaped like the stock one (kind,
 * number of fields and card types) will do; a clone that was given other
 * fields keeps its stock kind for Anki but is passed over.
 *
 * Returns: (transfer full): the oldest note type of kind @stock in that shape
 */
SdNotetype *
sd_notetype_find_stock (SdCollection  *collection,
                        SdStockKind    stock,
                        GError       **error)
{
  g_autoptr(SdNotetype) shape = sd_notetype_new_stock (stock);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (shape == NULL)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("No such note type"));
      return NULL;
    }

  if (sqlite3_prepare_v2 (sd_collection_get_db (collection),
                          NOTETYPE_COLUMNS "WHERE stock_kind = ? ORDER BY id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }
  sqlite3_bind_int (stmt, 1, stock);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(SdNotetype) notetype = load_row (collection, stmt, error);

      if (notetype == NULL)
        return NULL;
      if (notetype->kind == shape->kind
          && notetype->fields->len == shape->fields->len
          && notetype->templates->len == shape->templates->len)
        return g_steal_pointer (&notetype);
    }

  g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
               _("No such note type"));
  return NULL;
}

/**
 * sd_notetype_list:
 *
 * Returns: (transfer full) (element-type SdNotetype): every note type by name
 */
GPtrArray *
sd_notetype_list (SdCollection  *collection,
                  GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_notetype_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (sd_collection_get_db (collection),
                          NOTETYPE_COLUMNS "ORDER BY name COLLATE NOCASE, id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SdNotetype *notetype = load_row (collection, stmt, error);
      if (notetype == NULL)
        return NULL;
      g_ptr_array_add (list, notetype);
    }
  return g_steal_pointer (&list);
}

/**
 * sd_notetype_add_stock:
 *
 * Adds Basic, Basic (and reversed card), Basic (optional reversed card) and
 * Cloze, as every new collection has them.
 */
gboolean
sd_notetype_add_stock (SdCollection  *collection,
                       GError       **error)
{
  static const SdStockKind kinds[] = {
    SD_STOCK_BASIC,
    SD_STOCK_BASIC_AND_REVERSED,
    SD_STOCK_BASIC_OPTIONAL_REVERSED,
    SD_STOCK_CLOZE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(SdNotetype) notetype = sd_notetype_new_stock (kinds[i]);
      if (!sd_notetype_insert (collection, notetype, error))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Editing a loaded note type                                               */

/* Names a template gives a meaning of its own (rslib notetype/mod.rs,
 * SPECIAL_FIELDS); a field called so could never be shown. */
static const char * const special_fields[] = {
  "FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID", NULL
};

#define ALT_SYNTAX "{{=<% %>=}}"

static gboolean
same_name (const char *a,
           const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return strcmp (fa, fb) == 0;
}

static const char *
skip_white (const char *p)
{
  while (*p != '\0' && sd_html_text_is_white_space (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);
  return p;
}

static char *
strip_white (const char *text)
{
  const char *b = skip_white (text ? text : "");
  const char *e = b + strlen (b);

  while (e > b)
    {
      const char *prev = g_utf8_find_prev_char (b, e);

      if (prev == NULL || !sd_html_text_is_white_space (g_utf8_get_char (prev)))
        break;
      e = prev;
    }
  return g_strndup (b, e - b);
}

/* Anki's clean-up of a field name (rslib notetype/fields.rs): characters
 * that would end a template tag go, and so does a start that would open a
 * conditional. */
static char *
fix_field_name (const char *name)
{
  g_autoptr(GString) kept = g_string_new (NULL);
  g_autofree char *stripped = NULL;
  const char *p;

  for (p = name ? name : ""; *p != '\0'; p++)
    if (strchr (":{}\"", *p) == NULL)
      g_string_append_c (kept, *p);

  stripped = strip_white (kept->str);
  for (p = stripped; *p == '#' || *p == '/' || *p == '^'; p = skip_white (p + 1))
    ;
  return g_strdup (p);
}

/**
 * sd_notetype_valid_field_name:
 * @except: the index of the field being renamed, or -1
 *
 * Cleans @name up as Anki does and checks that it can name a field of
 * @notetype: not empty, not a name templates reserve, not the name of
 * another field (case aside).
 *
 * Returns: (transfer full) (nullable): the name to use
 */
char *
sd_notetype_valid_field_name (const SdNotetype  *notetype,
                              const char        *name,
                              int                except,
                              GError           **error)
{
  g_autofree char *fixed = fix_field_name (name);

  if (fixed[0] == '\0')
    {
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                           _("A field needs a name other than the characters : { } \" # ^ /"));
      return NULL;
    }

  for (guint i = 0; special_fields[i] != NULL; i++)
    if (same_name (fixed, special_fields[i]))
      {
        g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                     _("“%s” cannot name a field: templates use it for something else"),
                     fixed);
        return NULL;
      }

  for (guint i = 0; i < notetype->fields->len; i++)
    {
      const SdField *field = g_ptr_array_index (notetype->fields, i);

      if ((int) i != except && same_name (field->name, fixed))
        {
          g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                       _("There is already a field called “%s”"), field->name);
          return NULL;
        }
    }
  return g_steal_pointer (&fixed);
}

/**
 * sd_notetype_valid_template_name:
 * @except: the index of the card type being renamed, or -1
 *
 * Returns: (transfer full) (nullable): @name without surrounding white
 *   space, or %NULL when it is empty or names another card type
 */
char *
sd_notetype_valid_template_name (const SdNotetype  *notetype,
                                 const char        *name,
                                 int                except,
                                 GError           **error)
{
  g_autofree char *fixed = strip_white (name);

  if (fixed[0] == '\0')
    {
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                           _("A card type needs a name"));
      return NULL;
    }

  for (guint i = 0; i < notetype->templates->len; i++)
    {
      const SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, i);

      if ((int) i != except && same_name (tmpl->name, fixed))
        {
          g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                       _("There is already a card type called “%s”"), tmpl->name);
          return NULL;
        }
    }
  return g_steal_pointer (&fixed);
}

/* One handlebar tag, the text between its delimiters. It names a field the
 * way sd-template.c reads it: leading braces and surrounding white space go;
 * a conditional's name follows its sigil, a replacement's follows the last
 * colon (the filters come before). */
static void
rewrite_tag (GString    *out,
             const char *open,
             const char *close,
             const char *start,
             const char *end,
             const char *from,
             const char *to)
{
  const char *b = start, *e = end, *name, *colon;
  gsize from_len = strlen (from);

  while (b < e && *b == '{')
    b++;
  b = skip_white (b);
  if (b > e)
    b = e;
  while (e > b)
    {
      const char *prev = g_utf8_find_prev_char (b, e);

      if (prev == NULL || !sd_html_text_is_white_space (g_utf8_get_char (prev)))
        break;
      e = prev;
    }

  if (e - b >= 2 && (*b == '#' || *b == '^' || *b == '/'))
    {
      name = skip_white (b + 1);
      if (name > e)
        name = e;
    }
  else
    {
      name = b;
      for (colon = b; colon < e; colon++)
        if (*colon == ':')
          name = colon + 1;
    }

  if ((gsize) (e - name) == from_len && strncmp (name, from, from_len) == 0)
    {
      if (to == NULL)
        return;
      g_string_append (out, open);
      g_string_append_len (out, start, name - start);
      g_string_append (out, to);
      g_string_append_len (out, e, end - e);
      g_string_append (out, close);
      return;
    }

  g_string_append (out, open);
  g_string_append_len (out, start, end - start);
  g_string_append (out, close);
}

/* @text with every tag naming field @from renamed to @to, or dropped when
 * @to is %NULL: {{from}}, {{filter:from}}, {{#from}}, {{^from}}, {{/from}}.
 * A dropped conditional keeps what it wrapped, as in Anki (rslib
 * notetype/schemachange.rs). The scan follows the template lexer: HTML
 * comments stay as written, {{=<% %>=}} at the start switches to <% %>, and
 * a tag without its closing delimiter is text. (The template engine keeps
 * no source positions, so it cannot do this rewrite itself.) */
static char *
rewrite_field_tags (const char *text,
                    const char *from,
                    const char *to)
{
  GString *out = g_string_new (NULL);
  const char *open = "{{", *close = "}}";
  const char *p = text ? text : "";
  const char *t = skip_white (p);

  if (g_str_has_prefix (t, ALT_SYNTAX))
    {
      while (g_str_has_prefix (t, ALT_SYNTAX))
        t += strlen (ALT_SYNTAX);
      g_string_append_len (out, p, t - p);
      p = t;
      open = "<%";
      close = "%>";
    }

  while (*p != '\0')
    {
      const char *tag = strstr (p, open);
      const char *tag_end = tag ? strstr (tag + 2, close) : NULL;
      const char *comment = strstr (p, "<!--");
      const char *comment_end = comment ? strstr (comment + 4, "-->") : NULL;

      if (tag_end == NULL)
        tag = NULL;
      if (comment_end == NULL)
        comment = NULL;

      if (tag == NULL && comment == NULL)
        {
          g_string_append (out, p);
          break;
        }
      if (comment != NULL && (tag == NULL || comment < tag))
        {
          g_string_append_len (out, p, comment_end + 3 - p);
          p = comment_end + 3;
          continue;
        }
      g_string_append_len (out, p, tag - p);
      rewrite_tag (out, open, close, tag + 2, tag_end, from, to);
      p = tag_end + 2;
    }
  return g_string_free (out, FALSE);
}

static void
rewrite_templates (SdNotetype *notetype,
                   const char *from,
                   const char *to)
{
  for (guint i = 0; i < notetype->templates->len; i++)
    {
      SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, i);
      char **texts[] = { &tmpl->front, &tmpl->back, &tmpl->browser_front, &tmpl->browser_back };

      for (guint k = 0; k < G_N_ELEMENTS (texts); k++)
        {
          char *rewritten = rewrite_field_tags (*texts[k], from, to);
          g_free (*texts[k]);
          *texts[k] = rewritten;
        }
    }
}

/**
 * sd_notetype_rename_field:
 *
 * Renames field @index (cleaned up by sd_notetype_valid_field_name()) and
 * every reference to it in the card templates, like Anki.
 */
gboolean
sd_notetype_rename_field (SdNotetype  *notetype,
                          guint        index,
                          const char  *name,
                          GError     **error)
{
  g_autofree char *fixed = NULL;
  SdField *field;

  g_return_val_if_fail (index < notetype->fields->len, FALSE);

  field = g_ptr_array_index (notetype->fields, index);
  fixed = sd_notetype_valid_field_name (notetype, name, (int) index, error);
  if (fixed == NULL)
    return FALSE;
  if (strcmp (fixed, field->name) == 0)
    return TRUE;

  rewrite_templates (notetype, field->name, fixed);
  g_free (field->name);
  field->name = g_steal_pointer (&fixed);
  return TRUE;
}

/**
 * sd_notetype_remove_field:
 *
 * Removes field @index and the template tags that name it (a conditional
 * on it keeps what it wraps). Its content goes from every note when the
 * note type is saved.
 */
gboolean
sd_notetype_remove_field (SdNotetype  *notetype,
                          guint        index,
                          GError     **error)
{
  SdField *field;

  g_return_val_if_fail (index < notetype->fields->len, FALSE);

  if (notetype->fields->len == 1)
    {
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                           _("A note type needs at least one field"));
      return FALSE;
    }

  field = g_ptr_array_index (notetype->fields, index);
  rewrite_templates (notetype, field->name, NULL);
  g_ptr_array_remove_index (notetype->fields, index);
  if (notetype->sort_field == index)
    notetype->sort_field = 0;
  else if (notetype->sort_field > index)
    notetype->sort_field--;
  return TRUE;
}

/* Where position @pos goes when the item at @from moves to @to. */
static guint
moved_position (guint pos,
                guint from,
                guint to)
{
  if (pos == from)
    return to;
  if (from < pos && pos <= to)
    return pos - 1;
  if (to <= pos && pos < from)
    return pos + 1;
  return pos;
}

static void
move_item (GPtrArray *array,
           guint      from,
           guint      to)
{
  gpointer item;

  g_return_if_fail (from < array->len && to < array->len);

  item = g_ptr_array_steal_index (array, from);
  g_ptr_array_insert (array, (int) to, item);
}

/**
 * sd_notetype_move_field:
 *
 * Moves field @from to position @to; the sort field stays the same field.
 */
void
sd_notetype_move_field (SdNotetype *notetype,
                        guint       from,
                        guint       to)
{
  g_return_if_fail (from < notetype->fields->len && to < notetype->fields->len);

  move_item (notetype->fields, from, to);
  notetype->sort_field = moved_position (notetype->sort_field, from, to);
}

gboolean
sd_notetype_rename_template (SdNotetype  *notetype,
                             guint        index,
                             const char  *name,
                             GError     **error)
{
  g_autofree char *fixed = NULL;
  SdCardTemplate *tmpl;

  g_return_val_if_fail (index < notetype->templates->len, FALSE);

  fixed = sd_notetype_valid_template_name (notetype, name, (int) index, error);
  if (fixed == NULL)
    return FALSE;
  tmpl = g_ptr_array_index (notetype->templates, index);
  g_free (tmpl->name);
  tmpl->name = g_steal_pointer (&fixed);
  return TRUE;
}

/**
 * sd_notetype_remove_template:
 *
 * Removes card type @index; its cards go when the note type is saved. A
 * cloze note type has its one card type for good, and every note type keeps
 * at least one.
 */
gboolean
sd_notetype_remove_template (SdNotetype  *notetype,
                             guint        index,
                             GError     **error)
{
  g_return_val_if_fail (index < notetype->templates->len, FALSE);

  if (notetype->kind == SD_NOTETYPE_CLOZE)
    {
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                           _("A cloze note type has exactly one card type"));
      return FALSE;
    }
  if (notetype->templates->len == 1)
    {
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                           _("A note type needs at least one card type"));
      return FALSE;
    }
  g_ptr_array_remove_index (notetype->templates, index);
  return TRUE;
}

void
sd_notetype_move_template (SdNotetype *notetype,
                           guint       from,
                           guint       to)
{
  g_return_if_fail (from < notetype->templates->len && to < notetype->templates->len);

  move_item (notetype->templates, from, to);
}

/**
 * sd_notetype_new_template_name:
 *
 * Returns: (transfer full): "Card N" for the first N no card type uses yet
 */
char *
sd_notetype_new_template_name (const SdNotetype *notetype)
{
  for (guint n = notetype->templates->len + 1;; n++)
    {
      g_autofree char *name = g_strdup_printf (_("Card %u"), n);
      char *valid = sd_notetype_valid_template_name (notetype, name, -1, NULL);

      if (valid != NULL)
        return valid;
    }
}

static const char **
field_names (const SdNotetype *notetype)
{
  const char **names = g_new0 (const char *, notetype->fields->len + 1);

  for (guint i = 0; i < notetype->fields->len; i++)
    names[i] = ((SdField *) g_ptr_array_index (notetype->fields, i))->name;
  return names;
}

static gboolean
check_side (const char          *text,
            const char * const  *names,
            guint                n_names,
            SdTemplate         **parsed,
            GError             **error)
{
  g_autoptr(SdTemplate) tmpl = sd_template_parse (text, error);

  if (tmpl == NULL)
    return FALSE;
  if (!sd_template_check_fields (tmpl, names, n_names, error))
    return FALSE;
  if (parsed != NULL)
    *parsed = g_steal_pointer (&tmpl);
  return TRUE;
}

/**
 * sd_notetype_check_template:
 *
 * Whether card type @index can be saved, by Anki's rules: both sides parse
 * and name only fields the note type has; a standard front shows at least
 * one field (otherwise it makes no card); a cloze front has a
 * {{cloze:Field}}. The error names the card type and the side.
 */
gboolean
sd_notetype_check_template (const SdNotetype  *notetype,
                            guint              index,
                            GError           **error)
{
  g_autofree const char **names = NULL;
  g_autoptr(SdTemplate) front = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) used = NULL;
  const SdCardTemplate *tmpl;
  gboolean shows_field = FALSE;

  g_return_val_if_fail (index < notetype->templates->len, FALSE);

  tmpl = g_ptr_array_index (notetype->templates, index);
  names = field_names (notetype);

  if (!check_side (tmpl->front, names, notetype->fields->len, &front, &local))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), _("Front of “%s”: "),
                                  tmpl->name);
      return FALSE;
    }
  if (!check_side (tmpl->back, names, notetype->fields->len, NULL, &local))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), _("Back of “%s”: "),
                                  tmpl->name);
      return FALSE;
    }

  if (notetype->kind == SD_NOTETYPE_CLOZE)
    {
      used = sd_template_referenced_cloze_fields (front);
      if (used[0] == NULL)
        {
          g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                       _("Front of “%s”: a cloze card needs a cloze field, like {{cloze:%s}}"),
                       tmpl->name, names[0]);
          return FALSE;
        }
      return TRUE;
    }

  used = sd_template_referenced_fields (front);
  for (guint i = 0; used[i] != NULL && !shows_field; i++)
    shows_field = sd_notetype_field_index (notetype, used[i]) >= 0;
  if (!shows_field)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("Front of “%s”: it shows no field, so it would never make a card"),
                   tmpl->name);
      return FALSE;
    }
  return TRUE;
}

/**
 * sd_notetype_check_templates:
 *
 * sd_notetype_check_template() for every card type, and no two standard
 * card types with the same front (their cards would be the same).
 */
gboolean
sd_notetype_check_templates (const SdNotetype  *notetype,
                             GError           **error)
{
  if (notetype->kind == SD_NOTETYPE_CLOZE && notetype->templates->len != 1)
    {
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                           _("A cloze note type has exactly one card type"));
      return FALSE;
    }

  for (guint i = 0; i < notetype->templates->len; i++)
    {
      const SdCardTemplate *a = g_ptr_array_index (notetype->templates, i);

      if (!sd_notetype_check_template (notetype, i, error))
        return FALSE;
      for (guint k = 0; k < i; k++)
        {
          const SdCardTemplate *b = g_ptr_array_index (notetype->templates, k);

          if (g_strcmp0 (a->front, b->front) == 0)
            {
              g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                           _("“%s” and “%s” have the same front, so their cards would be "
                             "the same"), b->name, a->name);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/**
 * sd_notetype_map_fields:
 * @values: a note's field values in the order the note type was loaded with
 *
 * Returns: (transfer full): the values in the note type's current order, a
 *   field added since empty
 */
char **
sd_notetype_map_fields (const SdNotetype   *notetype,
                        const char * const *values)
{
  guint n_values = values ? g_strv_length ((char **) values) : 0;
  char **mapped = g_new0 (char *, notetype->fields->len + 1);

  for (guint i = 0; i < notetype->fields->len; i++)
    {
      const SdField *field = g_ptr_array_index (notetype->fields, i);

      mapped[i] = g_strdup (field->ord >= 0 && (guint) field->ord < n_values
                            ? values[field->ord] : "");
    }
  return mapped;
}

/* ------------------------------------------------------------------------ */
/* Note types in the collection                                             */

static gint64
count_for (SdCollection  *collection,
           const char    *sql,
           gint64         id,
           int            ord,
           GError       **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection, sql, error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, id);
  if (ord >= 0)
    sqlite3_bind_int (stmt, 2, ord);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    sd_collection_set_error (collection, error);
  sqlite3_reset (stmt);
  return n;
}

/**
 * sd_notetype_get_usage:
 *
 * Counts the notes of note type @id, their cards, and the notes among them
 * that cards written in Markdown note files made.
 */
gboolean
sd_notetype_get_usage (SdCollection     *collection,
                       gint64            id,
                       SdNotetypeUsage  *usage,
                       GError          **error)
{
  usage->notes = count_for (collection,
                            "SELECT count(*) FROM notes WHERE notetype_id = ?", id, -1, error);
  if (usage->notes < 0)
    return FALSE;
  usage->cards = count_for (collection,
                            "SELECT count(*) FROM cards c JOIN notes n ON n.id = c.note_id"
                            " WHERE n.notetype_id = ?", id, -1, error);
  if (usage->cards < 0)
    return FALSE;
  usage->file_notes = count_for (collection,
                                 "SELECT count(*) FROM note_anchors a"
                                 " JOIN notes n ON n.id = a.note_id WHERE n.notetype_id = ?",
                                 id, -1, error);
  return usage->file_notes >= 0;
}

/**
 * sd_notetype_count_template_cards:
 * @ord: the card type's position as saved
 *
 * Returns: how many cards card type @ord of note type @id has made, or -1
 */
gint64
sd_notetype_count_template_cards (SdCollection  *collection,
                                  gint64         id,
                                  guint          ord,
                                  GError       **error)
{
  return count_for (collection,
                    "SELECT count(*) FROM cards c JOIN notes n ON n.id = c.note_id"
                    " WHERE n.notetype_id = ? AND c.ord = ?", id, (int) ord, error);
}

/**
 * sd_notetype_count_field_notes:
 * @ord: the field's position as saved
 *
 * Returns: how many notes of note type @id have something in field @ord
 *   (what deleting the field would lose), or -1
 */
gint64
sd_notetype_count_field_notes (SdCollection  *collection,
                               gint64         id,
                               guint          ord,
                               GError       **error)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT fields FROM notes WHERE notetype_id = ?",
                                              error);
  gint64 n = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(GStrv) values = g_strsplit ((const char *) sqlite3_column_text (stmt, 0),
                                         SD_NOTE_FIELD_SEPARATOR, -1);

      if (ord < g_strv_length (values))
        {
          g_autofree char *value = strip_white (values[ord]);
          if (value[0] != '\0')
            n++;
        }
    }
  if (rc != SQLITE_DONE)
    {
      sd_collection_set_error (collection, error);
      n = -1;
    }
  sqlite3_reset (stmt);
  return n;
}

/**
 * sd_notetype_first_note_id:
 *
 * Returns: the oldest note of note type @id (a sample for previews), or 0
 */
gint64
sd_notetype_first_note_id (SdCollection *collection,
                           gint64        id)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT id FROM notes WHERE notetype_id = ?"
                                              " ORDER BY id LIMIT 1",
                                              NULL);
  gint64 note_id = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    note_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return note_id;
}

/* @name without surrounding white space, unless it is empty or another note
 * type (other than @except) has it already. */
static char *
valid_notetype_name (SdCollection  *collection,
                     const char    *name,
                     gint64         except,
                     GError       **error)
{
  g_autofree char *fixed = strip_white (name);
  sqlite3_stmt *stmt;
  gboolean taken;

  if (fixed[0] == '\0')
    {
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                           _("A note type needs a name"));
      return NULL;
    }

  stmt = sd_collection_prepare (collection,
                                "SELECT 1 FROM notetypes WHERE name = ? COLLATE NOCASE AND id <> ?",
                                error);
  if (stmt == NULL)
    return NULL;
  sd_bind_text (stmt, 1, fixed);
  sqlite3_bind_int64 (stmt, 2, except);
  taken = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (taken)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("There is already a note type called “%s”"), fixed);
      return NULL;
    }
  return g_steal_pointer (&fixed);
}

/**
 * sd_notetype_clone:
 * @source: a note type to copy: a saved one, or one from sd_notetype_new_stock()
 *
 * Adds a copy of @source called @name (which no other note type may have),
 * with its fields, card types and styling; it keeps the stock kind Anki
 * records as originalStockKind.
 *
 * Returns: (transfer full) (nullable): the new note type, saved
 */
SdNotetype *
sd_notetype_clone (SdCollection      *collection,
                   const SdNotetype  *source,
                   const char        *name,
                   GError           **error)
{
  g_autofree char *fixed = valid_notetype_name (collection, name, 0, error);
  g_autoptr(SdNotetype) copy = NULL;

  if (fixed == NULL)
    return NULL;

  copy = sd_notetype_copy (source);
  copy->id = 0;
  copy->mtime = 0;
  g_free (copy->name);
  copy->name = g_steal_pointer (&fixed);
  if (!sd_notetype_insert (collection, copy, error))
    return NULL;
  return g_steal_pointer (&copy);
}

/**
 * sd_notetype_rename:
 *
 * Renames @notetype in the collection, and in @notetype itself, which may
 * hold other changes not saved yet: only the name is written.
 */
gboolean
sd_notetype_rename (SdCollection  *collection,
                    SdNotetype    *notetype,
                    const char    *name,
                    GError       **error)
{
  g_autofree char *fixed = valid_notetype_name (collection, name, notetype->id, error);
  sqlite3_stmt *stmt;
  gint64 now = MAX (sd_clock_now (), notetype->mtime + 1);

  if (fixed == NULL)
    return FALSE;
  if (strcmp (fixed, notetype->name) == 0)
    return TRUE;

  stmt = sd_collection_prepare (collection,
                                "UPDATE notetypes SET name = ?, mtime = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sd_bind_text (stmt, 1, fixed);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, notetype->id);
  if (!sd_collection_step_done (collection, stmt, error))
    return FALSE;
  if (sqlite3_changes (sd_collection_get_db (collection)) == 0)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_NOT_FOUND,
                   _("Note type %" G_GINT64_FORMAT " does not exist"), notetype->id);
      return FALSE;
    }
  sd_collection_touch (collection);

  g_free (notetype->name);
  notetype->name = g_steal_pointer (&fixed);
  notetype->mtime = now;
  return TRUE;
}

static void
set_file_notes_error (GError            **error,
                      const SdNotetype   *notetype,
                      gint64              file_notes,
                      const char         *what)
{
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%" G_GINT64_FORMAT " card",
                                                         "%" G_GINT64_FORMAT " cards",
                                                         file_notes),
                                            file_notes);

  /* Translators: the first %s is a note type, the second "3 cards", the
   * third a sentence saying what cannot be done. */
  g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
               _("“%s” holds %s written in your note files, which keep them as they are "
                 "written. %s"),
               notetype->name, count, what);
}

/**
 * sd_notetype_delete_with_notes:
 *
 * Deletes note type @id with all its notes, their cards and review history,
 * in one transaction. Refused for the last note type, and for one that
 * cards written in note files use (the next scan would only bring them
 * back, new).
 */
gboolean
sd_notetype_delete_with_notes (SdCollection  *collection,
                               gint64         id,
                               GError       **error)
{
  g_autoptr(SdNotetype) notetype = sd_notetype_load (collection, id, error);
  SdNotetypeUsage usage;
  sqlite3_stmt *stmt;

  if (notetype == NULL || !sd_notetype_get_usage (collection, id, &usage, error))
    return FALSE;

  if (usage.file_notes > 0)
    {
      set_file_notes_error (error, notetype, usage.file_notes,
                            _("Remove those cards from the files before deleting it."));
      return FALSE;
    }
  if (sd_collection_scalar (collection, "SELECT count(*) FROM notetypes", 0) <= 1)
    {
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                           _("The last note type cannot be deleted"));
      return FALSE;
    }

  if (!sd_collection_begin (collection, error))
    return FALSE;

  /* Cards, their review log and the notes' anchors go with the notes. */
  stmt = sd_collection_prepare (collection, "DELETE FROM notes WHERE notetype_id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!sd_collection_step_done (collection, stmt, error))
    goto fail;

  stmt = sd_collection_prepare (collection, "DELETE FROM notetypes WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!sd_collection_step_done (collection, stmt, error))
    goto fail;

  sd_collection_touch (collection);
  return sd_collection_commit (collection, error);

fail:
  sd_collection_rollback (collection);
  return FALSE;
}

static GArray *
note_ids_of (SdCollection  *collection,
             gint64         id,
             GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = sd_collection_prepare (collection,
                                              "SELECT id FROM notes WHERE notetype_id = ?"
                                              " ORDER BY id",
                                              error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 note_id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, note_id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_collection_set_error (collection, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* Cards follow their card types: those of a removed type go (with their
 * review log), the others take their type's new position. The moves pass
 * through negative ordinals so that no two cards of a note ever share one. */
static gboolean
move_cards (SdCollection  *collection,
            gint64         id,
            const int     *ords,
            guint          n_ords,
            guint          n_old,
            guint         *removed,
            GError       **error)
{
  gint64 now = sd_clock_now ();
  sqlite3_stmt *stmt;

  for (guint old = 0; old < n_old; old++)
    {
      gboolean kept = FALSE;

      for (guint i = 0; i < n_ords && !kept; i++)
        kept = ords[i] == (int) old;
      if (kept)
        continue;

      stmt = sd_collection_prepare (collection,
                                    "DELETE FROM cards WHERE ord = ? AND note_id IN"
                                    " (SELECT id FROM notes WHERE notetype_id = ?)",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, (int) old);
      sqlite3_bind_int64 (stmt, 2, id);
      if (!sd_collection_step_done (collection, stmt, error))
        return FALSE;
      *removed += sqlite3_changes (sd_collection_get_db (collection));
    }

  for (guint i = 0; i < n_ords; i++)
    {
      if (ords[i] < 0 || ords[i] == (int) i)
        continue;

      stmt = sd_collection_prepare (collection,
                                    "UPDATE cards SET ord = ?, mtime = ? WHERE ord = ? AND"
                                    " note_id IN (SELECT id FROM notes WHERE notetype_id = ?)",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int (stmt, 1, -1 - (int) i);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int (stmt, 3, ords[i]);
      sqlite3_bind_int64 (stmt, 4, id);
      if (!sd_collection_step_done (collection, stmt, error))
        return FALSE;
    }

  stmt = sd_collection_prepare (collection,
                                "UPDATE cards SET ord = -1 - ord WHERE ord < 0 AND note_id IN"
                                " (SELECT id FROM notes WHERE notetype_id = ?)",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sd_collection_step_done (collection, stmt, error);
}

static gboolean
deck_exists (SdCollection *collection,
             gint64        deck_id)
{
  sqlite3_stmt *stmt = sd_collection_prepare (collection, "SELECT 1 FROM decks WHERE id = ?",
                                              NULL);
  gboolean exists;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, deck_id);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return exists;
}

/* Every card a note now makes by Anki's rules (a standard front that shows a
 * non-empty field) and does not have yet is added, new. It goes where the
 * card type's deck override says, or else beside the note's first card. */
static gboolean
add_missing_cards (SdCollection      *collection,
                   const SdNotetype  *notetype,
                   GArray            *note_ids,
                   guint             *added,
                   GError           **error)
{
  g_autofree const char **names = field_names (notetype);
  g_autoptr(GPtrArray) fronts = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_template_free);
  guint n_templates = notetype->templates->len;

  for (guint i = 0; i < n_templates; i++)
    {
      const SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, i);
      g_ptr_array_add (fronts, sd_template_parse (tmpl->front, NULL));
    }

  for (guint n = 0; n < note_ids->len; n++)
    {
      gint64 note_id = g_array_index (note_ids, gint64, n);
      g_autoptr(SdNote) note = sd_note_load (collection, note_id, error);
      g_autofree gboolean *has = g_new0 (gboolean, n_templates);
      gint64 home_deck = SD_DECK_DEFAULT_ID;
      gboolean first = TRUE;
      sqlite3_stmt *stmt;

      if (note == NULL)
        return FALSE;

      stmt = sd_collection_prepare (collection,
                                    "SELECT ord, deck_id FROM cards WHERE note_id = ? ORDER BY ord",
                                    error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, note_id);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          int ord = sqlite3_column_int (stmt, 0);

          if (first)
            home_deck = sqlite3_column_int64 (stmt, 1);
          first = FALSE;
          if (ord >= 0 && (guint) ord < n_templates)
            has[ord] = TRUE;
        }
      sqlite3_reset (stmt);

      for (guint i = 0; i < n_templates; i++)
        {
          const SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, i);
          SdTemplate *front = g_ptr_array_index (fronts, i);
          SdTemplateContext ctx = {
            .field_names = names,
            .field_values = (const char * const *) note->fields,
            .n_fields = MIN (g_strv_length (note->fields), notetype->fields->len),
            .card_ord = i,
          };
          g_autoptr(SdCard) card = NULL;
          gint64 deck_id = home_deck;

          if (has[i] || front == NULL || !sd_template_renders_nonempty (front, &ctx))
            continue;

          if (tmpl->deck_override != 0 && deck_exists (collection, tmpl->deck_override))
            deck_id = tmpl->deck_override;
          card = sd_card_new (note_id, deck_id, (int) i);
          if (!sd_card_insert (collection, card, error))
            return FALSE;
          (*added)++;
        }
    }
  return TRUE;
}

/**
 * sd_notetype_save_changes:
 * @notetype: a note type loaded from @collection and changed with the
 *   functions above (or by hand, keeping each field's and card type's ord)
 * @changes: (out) (optional): what happened to notes and cards
 *
 * Saves @notetype and brings its notes and cards along, in one
 * transaction, the way Anki updates a note type:
 *
 * - every note's values follow their fields (moved, emptied for a new
 *   field, gone with a removed one), and its sort field is computed again;
 * - the cards of a removed card type are deleted with their review log;
 *   cards of a moved one take its new position;
 * - a new or changed card type adds the cards it now makes.
 *
 * Refused when a template does not pass sd_notetype_check_templates(), when
 * the note type was saved by someone else since it was loaded, when the
 * kind changes, and when cards written in note files use the note type and
 * fields or card types would be added, removed or reordered (those cards
 * fill fields by position; renaming fields and editing templates is fine).
 */
gboolean
sd_notetype_save_changes (SdCollection       *collection,
                          SdNotetype         *notetype,
                          SdNotetypeChanges  *changes,
                          GError            **error)
{
  g_autoptr(SdNotetype) old = NULL;
  g_autoptr(GArray) note_ids = NULL;
  g_autofree int *field_ords = NULL;
  g_autofree int *template_ords = NULL;
  SdNotetypeChanges done = { 0 };
  gboolean fields_moved = FALSE, templates_moved = FALSE, fronts_changed = FALSE;
  guint n_fields = notetype->fields->len, n_templates = notetype->templates->len;
  gint64 mtime = notetype->mtime;

  old = sd_notetype_load (collection, notetype->id, error);
  if (old == NULL)
    return FALSE;

  if (old->mtime != notetype->mtime)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                   _("“%s” was changed elsewhere after it was opened; open it again to "
                     "edit it"), old->name);
      return FALSE;
    }
  if (old->kind != notetype->kind)
    {
      g_set_error_literal (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_INVALID,
                           _("A note type cannot change between standard and cloze"));
      return FALSE;
    }

  for (guint i = 0; i < n_fields; i++)
    {
      const SdField *field = g_ptr_array_index (notetype->fields, i);
      g_autofree char *valid = sd_notetype_valid_field_name (notetype, field->name, (int) i,
                                                             error);
      if (valid == NULL)
        return FALSE;
    }
  if (!sd_notetype_check_templates (notetype, error))
    return FALSE;

  /* Where each field and card type was; an ord that is out of range or
   * used twice means a new one. */
  field_ords = g_new (int, n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      int ord = ((SdField *) g_ptr_array_index (notetype->fields, i))->ord;

      for (guint k = 0; k < i && ord >= 0; k++)
        if (field_ords[k] == ord)
          ord = -1;
      field_ords[i] = ord >= 0 && (guint) ord < old->fields->len ? ord : -1;
      fields_moved |= field_ords[i] != (int) i;
    }
  fields_moved |= n_fields != old->fields->len;

  template_ords = g_new (int, n_templates);
  for (guint i = 0; i < n_templates; i++)
    {
      const SdCardTemplate *tmpl = g_ptr_array_index (notetype->templates, i);
      int ord = tmpl->ord;

      for (guint k = 0; k < i && ord >= 0; k++)
        if (template_ords[k] == ord)
          ord = -1;
      template_ords[i] = ord >= 0 && (guint) ord < old->templates->len ? ord : -1;
      templates_moved |= template_ords[i] != (int) i;
      if (template_ords[i] < 0)
        fronts_changed = TRUE;
      else
        {
          const SdCardTemplate *was = g_ptr_array_index (old->templates, template_ords[i]);
          fronts_changed |= g_strcmp0 (was->front, tmpl->front) != 0;
        }
    }
  templates_moved |= n_templates != old->templates->len;

  if (fields_moved || templates_moved)
    {
      SdNotetypeUsage usage;

      if (!sd_notetype_get_usage (collection, notetype->id, &usage, error))
        return FALSE;
      if (usage.file_notes > 0)
        {
          set_file_notes_error (error, old, usage.file_notes,
                                _("Its fields can be renamed and its templates edited, but "
                                  "fields and card types cannot be added, deleted or "
                                  "reordered. Clone it to make a note type of another shape."));
          return FALSE;
        }
    }

  note_ids = note_ids_of (collection, notetype->id, error);
  if (note_ids == NULL)
    return FALSE;

  if (!sd_collection_begin (collection, error))
    return FALSE;

  /* The note type first: notes compute their sort field from it. */
  if (!sd_notetype_update (collection, notetype, error))
    goto fail;

  if (fields_moved || old->sort_field != notetype->sort_field)
    for (guint n = 0; n < note_ids->len; n++)
      {
        g_autoptr(SdNote) note = sd_note_load (collection, g_array_index (note_ids, gint64, n),
                                               error);
        guint n_values;

        if (note == NULL)
          goto fail;
        if (fields_moved)
          {
            char **values = g_new0 (char *, n_fields + 1);

            n_values = g_strv_length (note->fields);
            for (guint i = 0; i < n_fields; i++)
              values[i] = g_strdup (field_ords[i] >= 0 && (guint) field_ords[i] < n_values
                                    ? note->fields[field_ords[i]] : "");
            g_strfreev (note->fields);
            note->fields = values;
          }
        if (!sd_note_update (collection, note, error))
          goto fail;
        done.notes_changed++;
      }

  if (notetype->kind == SD_NOTETYPE_STANDARD)
    {
      if (templates_moved
          && !move_cards (collection, notetype->id, template_ords, n_templates,
                          old->templates->len, &done.cards_removed, error))
        goto fail;
      if ((templates_moved || fronts_changed)
          && !add_missing_cards (collection, notetype, note_ids, &done.cards_added, error))
        goto fail;
    }

  if (!sd_collection_commit (collection, error))
    goto restore;
  if (changes != NULL)
    *changes = done;
  return TRUE;

fail:
  sd_collection_rollback (collection);
restore:
  /* Nothing was written: @notetype stays as the caller had it. */
  notetype->mtime = mtime;
  for (guint i = 0; i < n_fields; i++)
    ((SdField *) g_ptr_array_index (notetype->fields, i))->ord = field_ords[i];
  for (guint i = 0; i < n_templates; i++)
    ((SdCardTemplate *) g_ptr_array_index (notetype->templates, i))->ord = template_ords[i];
  return FALSE;
}
