/* sd-protobuf.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SECTION:sd-protobuf
 * @title: Protobuf wire reader
 * @short_description: just enough of the protobuf wire format to read Anki's messages
 *
 * Anki stores package metadata, the v3 media map and the schema-18 note
 * types, decks and options groups as protobuf messages. This reader walks the
 * wire format of one message without a schema: the caller asks for the next
 * field, looks at its number and wire type and reads or skips the value.
 * Every read is bounds-checked; a malformed message is an error, never a
 * crash. Nothing is allocated: length-delimited values point into the
 * buffer being read.
 */

/**
 * SdProtobufWireType:
 * @SD_PROTOBUF_VARINT: int32, int64, uint32, uint64, sint32, sint64, bool, enum
 * @SD_PROTOBUF_FIXED64: fixed64, sfixed64, double
 * @SD_PROTOBUF_LEN: string, bytes, embedded messages, packed repeated fields
 * @SD_PROTOBUF_FIXED32: fixed32, sfixed32, float
 */
typedef enum
{
  SD_PROTOBUF_VARINT = 0,
  SD_PROTOBUF_FIXED64 = 1,
  SD_PROTOBUF_LEN = 2,
  SD_PROTOBUF_FIXED32 = 5,
} SdProtobufWireType;

/**
 * SdProtobufReader:
 * @data: the message
 * @len: its length in bytes
 * @pos: the offset of the next unread byte
 * @field: the number of the field last returned by sd_protobuf_reader_next()
 * @wire_type: its wire type
 *
 * A cursor over one message; initialise with sd_protobuf_reader_init().
 */
typedef struct
{
  const guint8      *data;
  gsize              len;
  gsize              pos;
  guint32            field;
  SdProtobufWireType wire_type;
} SdProtobufReader;

void      sd_protobuf_reader_init      (SdProtobufReader *reader,
                                        gconstpointer     data,
                                        gsize             len);
gboolean  sd_protobuf_reader_next      (SdProtobufReader *reader,
                                        gboolean         *has_field,
                                        GError          **error);
gboolean  sd_protobuf_read_varint      (SdProtobufReader *reader,
                                        guint64          *value,
                                        GError          **error);
gboolean  sd_protobuf_read_fixed32     (SdProtobufReader *reader,
                                        guint32          *value,
                                        GError          **error);
gboolean  sd_protobuf_read_fixed64     (SdProtobufReader *reader,
                                        guint64          *value,
                                        GError          **error);
gboolean  sd_protobuf_read_float       (SdProtobufReader *reader,
                                        float            *value,
                                        GError          **error);
gboolean  sd_protobuf_read_bytes       (SdProtobufReader *reader,
                                        const guint8    **data,
                                        gsize            *len,
                                        GError          **error);
gboolean  sd_protobuf_read_string      (SdProtobufReader *reader,
                                        char            **value,
                                        GError          **error);
gboolean  sd_protobuf_read_message     (SdProtobufReader *reader,
                                        SdProtobufReader *sub,
                                        GError          **error);
gboolean  sd_protobuf_read_floats      (SdProtobufReader *reader,
                                        GArray           *values,
                                        GError          **error);
gboolean  sd_protobuf_skip             (SdProtobufReader *reader,
                                        GError          **error);
gint64    sd_protobuf_decode_zigzag    (guint64           value);

G_END_DECLS
