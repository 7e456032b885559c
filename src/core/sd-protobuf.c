/* sd-protobuf.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-collection.h"
#include "sd-protobuf.h"

static gboolean
truncated (GError **error)
{
  g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_CORRUPT,
               _("malformed protobuf data: a value runs past the end of the message"));
  return FALSE;
}

/**
 * sd_protobuf_reader_init:
 * @data: (array length=len): the encoded message; must outlive the reader
 *
 * Starts reading a message from its first field.
 */
void
sd_protobuf_reader_init (SdProtobufReader *reader,
                         gconstpointer     data,
                         gsize             len)
{
  memset (reader, 0, sizeof *reader);
  reader->data = data;
  reader->len = data != NULL ? len : 0;
}

/**
 * sd_protobuf_read_varint:
 *
 * Reads a base-128 varint (at most ten bytes).
 */
gboolean
sd_protobuf_read_varint (SdProtobufReader  *reader,
                         guint64           *value,
                         GError           **error)
{
  guint64 result = 0;

  for (guint shift = 0; shift < 70; shift += 7)
    {
      guint8 byte;

      if (reader->pos >= reader->len)
        return truncated (error);
      byte = reader->data[reader->pos++];
      if (shift < 64)
        result |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        {
          *value = result;
          return TRUE;
        }
    }

  g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_CORRUPT,
               _("malformed protobuf data: a varint is longer than ten bytes"));
  return FALSE;
}

/**
 * sd_protobuf_reader_next:
 * @has_field: (out): set to %FALSE at the end of the message
 *
 * Reads the next field's key into @reader->field and @reader->wire_type.
 * The caller must then read or skip its value.
 *
 * Returns: %FALSE with @error set when the key is malformed
 */
gboolean
sd_protobuf_reader_next (SdProtobufReader  *reader,
                         gboolean          *has_field,
                         GError           **error)
{
  guint64 key;

  *has_field = FALSE;
  if (reader->pos >= reader->len)
    return TRUE;

  if (!sd_protobuf_read_varint (reader, &key, error))
    return FALSE;

  reader->field = (guint32) (key >> 3);
  reader->wire_type = (SdProtobufWireType) (key & 7);
  if (reader->field == 0 || key >> 3 > G_MAXUINT32
      || (reader->wire_type != SD_PROTOBUF_VARINT && reader->wire_type != SD_PROTOBUF_FIXED64
          && reader->wire_type != SD_PROTOBUF_LEN && reader->wire_type != SD_PROTOBUF_FIXED32))
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_CORRUPT,
                   _("malformed protobuf data: invalid field key %" G_GUINT64_FORMAT), key);
      return FALSE;
    }

  *has_field = TRUE;
  return TRUE;
}

gboolean
sd_protobuf_read_fixed32 (SdProtobufReader  *reader,
                          guint32           *value,
                          GError           **error)
{
  if (reader->len - reader->pos < 4)
    return truncated (error);
  *value = (guint32) reader->data[reader->pos]
           | (guint32) reader->data[reader->pos + 1] << 8
           | (guint32) reader->data[reader->pos + 2] << 16
           | (guint32) reader->data[reader->pos + 3] << 24;
  reader->pos += 4;
  return TRUE;
}

gboolean
sd_protobuf_read_fixed64 (SdProtobufReader  *reader,
                          guint64           *value,
                          GError           **error)
{
  guint32 low, high;

  if (reader->len - reader->pos < 8)
    return truncated (error);
  if (!sd_protobuf_read_fixed32 (reader, &low, error)
      || !sd_protobuf_read_fixed32 (reader, &high, error))
    return FALSE;
  *value = (guint64) high << 32 | low;
  return TRUE;
}

/**
 * sd_protobuf_read_float:
 *
 * Reads a `float` field (wire type fixed32, IEEE 754 little endian).
 */
gboolean
sd_protobuf_read_float (SdProtobufReader  *reader,
                        float             *value,
                        GError           **error)
{
  guint32 bits;

  if (!sd_protobuf_read_fixed32 (reader, &bits, error))
    return FALSE;
  G_STATIC_ASSERT (sizeof (float) == sizeof (guint32));
  memcpy (value, &bits, sizeof bits);
  return TRUE;
}

/**
 * sd_protobuf_read_bytes:
 * @data: (out) (transfer none): points into the message
 *
 * Reads a length-delimited value.
 */
gboolean
sd_protobuf_read_bytes (SdProtobufReader  *reader,
                        const guint8     **data,
                        gsize             *len,
                        GError           **error)
{
  guint64 n;

  if (!sd_protobuf_read_varint (reader, &n, error))
    return FALSE;
  if (n > reader->len - reader->pos)
    return truncated (error);
  *data = reader->data + reader->pos;
  *len = (gsize) n;
  reader->pos += (gsize) n;
  return TRUE;
}

/**
 * sd_protobuf_read_string:
 * @value: (out) (transfer full): the text
 *
 * Reads a `string` field, which protobuf requires to be UTF-8.
 */
gboolean
sd_protobuf_read_string (SdProtobufReader  *reader,
                         char             **value,
                         GError           **error)
{
  const guint8 *data;
  gsize len;

  if (!sd_protobuf_read_bytes (reader, &data, &len, error))
    return FALSE;
  if (!g_utf8_validate_len ((const char *) data, len, NULL) || memchr (data, 0, len) != NULL)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_CORRUPT,
                   _("malformed protobuf data: field %u is not valid UTF-8 text"),
                   reader->field);
      return FALSE;
    }
  *value = g_strndup ((const char *) data, len);
  return TRUE;
}

/**
 * sd_protobuf_read_message:
 * @sub: (out caller-allocates): a reader over the embedded message
 */
gboolean
sd_protobuf_read_message (SdProtobufReader  *reader,
                          SdProtobufReader  *sub,
                          GError           **error)
{
  const guint8 *data;
  gsize len;

  if (!sd_protobuf_read_bytes (reader, &data, &len, error))
    return FALSE;
  sd_protobuf_reader_init (sub, data, len);
  return TRUE;
}

/**
 * sd_protobuf_read_floats:
 * @values: (element-type float): where the values are appended
 *
 * Reads a `repeated float` field, packed (the proto3 default) or not.
 */
gboolean
sd_protobuf_read_floats (SdProtobufReader  *reader,
                         GArray            *values,
                         GError           **error)
{
  float value;

  if (reader->wire_type == SD_PROTOBUF_LEN)
    {
      SdProtobufReader packed;

      if (!sd_protobuf_read_message (reader, &packed, error))
        return FALSE;
      if (packed.len % 4 != 0)
        return truncated (error);
      while (packed.pos < packed.len)
        {
          if (!sd_protobuf_read_float (&packed, &value, error))
            return FALSE;
          g_array_append_val (values, value);
        }
      return TRUE;
    }

  if (reader->wire_type != SD_PROTOBUF_FIXED32)
    {
      g_set_error (error, SD_COLLECTION_ERROR, SD_COLLECTION_ERROR_CORRUPT,
                   _("malformed protobuf data: field %u should hold numbers"), reader->field);
      return FALSE;
    }
  if (!sd_protobuf_read_float (reader, &value, error))
    return FALSE;
  g_array_append_val (values, value);
  return TRUE;
}

/**
 * sd_protobuf_skip:
 *
 * Skips the value of the field just returned by sd_protobuf_reader_next().
 */
gboolean
sd_protobuf_skip (SdProtobufReader  *reader,
                  GError           **error)
{
  guint64 ignored;
  const guint8 *data;
  gsize len;

  switch (reader->wire_type)
    {
    case SD_PROTOBUF_VARINT:
      return sd_protobuf_read_varint (reader, &ignored, error);
    case SD_PROTOBUF_FIXED64:
      return sd_protobuf_read_fixed64 (reader, &ignored, error);
    case SD_PROTOBUF_LEN:
      return sd_protobuf_read_bytes (reader, &data, &len, error);
    case SD_PROTOBUF_FIXED32:
      if (reader->len - reader->pos < 4)
        return truncated (error);
      reader->pos += 4;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/**
 * sd_protobuf_decode_zigzag:
 *
 * Returns: the value of a `sint32`/`sint64` field
 */
gint64
sd_protobuf_decode_zigzag (guint64 value)
{
  return (gint64) (value >> 1) ^ -(gint64) (value & 1);
}
