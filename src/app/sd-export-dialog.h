/* sd-export-dialog.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-anki-export.h"
#include "sd-collection.h"

G_BEGIN_DECLS

/**
 * SdExportDialogState:
 * @SD_EXPORT_DIALOG_IDLE: choosing what to export
 * @SD_EXPORT_DIALOG_EXPORTING: a package is being written
 * @SD_EXPORT_DIALOG_DONE: the package was written; the dialog closes
 * @SD_EXPORT_DIALOG_FAILED: the last export failed, the reason is shown
 * @SD_EXPORT_DIALOG_CANCELLED: the last export was cancelled, no file written
 */
typedef enum
{
  SD_EXPORT_DIALOG_IDLE,
  SD_EXPORT_DIALOG_EXPORTING,
  SD_EXPORT_DIALOG_DONE,
  SD_EXPORT_DIALOG_FAILED,
  SD_EXPORT_DIALOG_CANCELLED,
} SdExportDialogState;

#define SD_TYPE_EXPORT_DIALOG_STATE (sd_export_dialog_state_get_type ())
GType sd_export_dialog_state_get_type (void) G_GNUC_CONST;

#define SD_TYPE_EXPORT_DIALOG (sd_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdExportDialog, sd_export_dialog, SD, EXPORT_DIALOG, AdwWindow)

SdExportDialog     *sd_export_dialog_new               (GtkWindow       *parent,
                                                        SdCollection    *collection,
                                                        gint64           deck_id,
                                                        AdwToastOverlay *toasts);
void                sd_export_dialog_export_to         (SdExportDialog  *self,
                                                        GFile           *file);
void                sd_export_dialog_cancel            (SdExportDialog  *self);

gint64              sd_export_dialog_get_deck_id       (SdExportDialog  *self);
void                sd_export_dialog_set_deck_id       (SdExportDialog  *self,
                                                        gint64           deck_id);
gboolean            sd_export_dialog_get_with_scheduling (SdExportDialog *self);
void                sd_export_dialog_set_with_scheduling (SdExportDialog *self,
                                                        gboolean         with_scheduling);
gboolean            sd_export_dialog_get_with_media    (SdExportDialog  *self);
void                sd_export_dialog_set_with_media    (SdExportDialog  *self,
                                                        gboolean         with_media);

SdExportDialogState sd_export_dialog_get_state         (SdExportDialog  *self);
double              sd_export_dialog_get_fraction      (SdExportDialog  *self);
const char         *sd_export_dialog_get_summary       (SdExportDialog  *self);
const char         *sd_export_dialog_get_error_message (SdExportDialog  *self);
char               *sd_export_dialog_get_suggested_name (SdExportDialog *self);
const SdExportStats *sd_export_dialog_get_stats        (SdExportDialog  *self);

G_END_DECLS
