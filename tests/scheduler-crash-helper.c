/* scheduler-crash-helper.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Answers cards as fast as it can and prints "CARD REPS" after every
 * committed answer, until it is killed. The scheduler test kills it at a
 * random moment and checks that every printed answer survived. */

#include <stdio.h>
#include <stdlib.h>

#include "sd-scheduler.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCollection) collection = NULL;
  g_autoptr(SdScheduler) scheduler = NULL;
  SdCard *card;
  guint n = 0;

  if (argc != 3)
    {
      g_printerr ("usage: %s COLLECTION DECK_ID\n", argv[0]);
      return 2;
    }

  collection = sd_collection_open (argv[1], &error);
  if (collection != NULL)
    scheduler = sd_scheduler_new (collection, g_ascii_strtoll (argv[2], NULL, 10), &error);
  if (scheduler == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  while ((card = sd_scheduler_next_card (scheduler, &error)) != NULL)
    {
      int rating = 1 + (int) (n++ % 4);
      g_autoptr(SdCard) after = NULL;

      if (!sd_scheduler_answer (scheduler, card->id, rating, 1000, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      after = sd_card_load (collection, card->id, NULL);
      printf ("%" G_GINT64_FORMAT " %d\n", after->id, after->reps);
      fflush (stdout);
      sd_card_free (card);
    }
  return 0;
}
