/* sd-notetype.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sd-clock.h"
#include "sd-collection-private.h"
#include "sd-notetype.h"

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

  return sd_collection_commit (collection, error);

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

  notetype->mtime = sd_clock_now ();
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

  return sd_collection_commit (collection, error);

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

SdNotetype *
sd_notetype_find_stock (SdCollection  *collection,
                        SdStockKind    stock,
                        GError       **error)
{
  return load_one (collection, NOTETYPE_COLUMNS "WHERE stock_kind = ? ORDER BY id LIMIT 1",
                   stock, NULL, error);
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
