/* sd-compat.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The only place that may choose between libadwaita 1.2 widgets and their
 * newer replacements; everything else calls these. */

void       sd_compat_show_about   (GtkWindow            *parent);
void       sd_compat_choose_folder (GtkWindow           *parent,
                                   const char           *title,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
GFile     *sd_compat_choose_finish (GAsyncResult        *result,
                                   GError              **error);
void       sd_compat_choose_file  (GtkWindow            *parent,
                                   const char           *title,
                                   gboolean              save,
                                   const char           *suggested_name,
                                   GtkFileFilter        *filter,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
void       sd_compat_confirm      (GtkWindow            *parent,
                                   const char           *heading,
                                   const char           *body,
                                   const char           *confirm_label,
                                   gboolean              destructive,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
gboolean   sd_compat_confirm_finish (GAsyncResult       *result);
void       sd_compat_ask_text     (GtkWindow            *parent,
                                   const char           *heading,
                                   const char           *body,
                                   const char           *initial,
                                   const char           *confirm_label,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
char      *sd_compat_ask_text_finish (GAsyncResult      *result);

G_END_DECLS
