/* sd-application.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sd-collection.h"

G_BEGIN_DECLS

#define SD_TYPE_APPLICATION (sd_application_get_type ())
G_DECLARE_FINAL_TYPE (SdApplication, sd_application, SD, APPLICATION, AdwApplication)

SdApplication *sd_application_new             (void);
SdCollection  *sd_application_get_collection  (SdApplication  *self);
const char    *sd_application_get_collection_path (SdApplication *self);
void           sd_application_set_collection_path (SdApplication *self,
                                                   const char     *path);
GSettings     *sd_application_get_settings    (SdApplication  *self);

G_END_DECLS
