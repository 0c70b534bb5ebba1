package dev.satchel.verifier.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Test-only ZIP writer where every header field can be set to a lie: the canonical bundle layout
 * by default, any deviation on request. Deliberately independent of the packager's writer.
 */
final class ZipForge {
    static final class Rec {
        byte[] name;
        byte[] data;
        int version = BundleFormat.VERSION_NEEDED;
        int flags = BundleFormat.FLAGS;
        int method = 0;
        int time = BundleFormat.DOS_TIME;
        int date = BundleFormat.DOS_DATE;
        Long crc;
        Long csize;
        Long usize;
        byte[] localExtra;
        byte[] centralName;
        Long centralCrc;
        Long centralSize;
        Integer centralMethod;
        int madeBy = BundleFormat.VERSION_MADE_BY;
        long external = BundleFormat.EXTERNAL_ATTRIBUTES;
        int internal = 0;
        int disk = 0;
        byte[] centralExtra = new byte[0];
        byte[] comment = new byte[0];
        Long centralOffset;
        byte[] gapAfter = new byte[0];
        boolean omitCentral;
        long headerOffset;

        Rec(String name, byte[] data) {
            this.name = name.getBytes(StandardCharsets.UTF_8);
            this.data = data;
        }

        String nameString() {
            return new String(name, StandardCharsets.UTF_8);
        }
    }

    final List<Rec> recs = new ArrayList<>();
    final List<Rec> extraCentral = new ArrayList<>();
    byte[] prefix = new byte[0];
    byte[] beforeEnd = new byte[0];
    byte[] trailing = new byte[0];
    Integer endCount;
    Long endCentralOffset;
    Long endCentralSize;
    int endDisk = 0;
    byte[] endComment = new byte[0];

    Rec rec(String name) {
        for (Rec r : recs) {
            if (r.nameString().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException(name);
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(prefix, 0, prefix.length);
        for (Rec r : recs) {
            r.headerOffset = out.size();
            long crc = r.crc != null ? r.crc : crc(r.data);
            byte[] extra = r.localExtra != null ? r.localExtra : alignment(out.size(), r.name.length);
            u32(out, BundleFormat.LOCAL_HEADER);
            u16(out, r.version);
            u16(out, r.flags);
            u16(out, r.method);
            u16(out, r.time);
            u16(out, r.date);
            u32(out, crc);
            u32(out, r.csize != null ? r.csize : r.data.length);
            u32(out, r.usize != null ? r.usize : r.data.length);
            u16(out, r.name.length);
            u16(out, extra.length);
            out.write(r.name, 0, r.name.length);
            out.write(extra, 0, extra.length);
            out.write(r.data, 0, r.data.length);
            out.write(r.gapAfter, 0, r.gapAfter.length);
        }
        long cdStart = out.size();
        int count = 0;
        List<Rec> central = new ArrayList<>();
        for (Rec r : recs) {
            if (!r.omitCentral) {
                central.add(r);
            }
        }
        central.addAll(extraCentral);
        for (Rec r : central) {
            count++;
            byte[] name = r.centralName != null ? r.centralName : r.name;
            long size = r.centralSize != null ? r.centralSize : (r.usize != null ? r.usize : r.data.length);
            u32(out, BundleFormat.CENTRAL_HEADER);
            u16(out, r.madeBy);
            u16(out, r.version);
            u16(out, r.flags);
            u16(out, r.centralMethod != null ? r.centralMethod : r.method);
            u16(out, r.time);
            u16(out, r.date);
            u32(out, r.centralCrc != null ? r.centralCrc : (r.crc != null ? r.crc : crc(r.data)));
            u32(out, r.csize != null && r.centralSize == null ? r.csize : size);
            u32(out, size);
            u16(out, name.length);
            u16(out, r.centralExtra.length);
            u16(out, r.comment.length);
            u16(out, r.disk);
            u16(out, r.internal);
            u32(out, r.external);
            u32(out, r.centralOffset != null ? r.centralOffset : r.headerOffset);
            out.write(name, 0, name.length);
            out.write(r.centralExtra, 0, r.centralExtra.length);
            out.write(r.comment, 0, r.comment.length);
        }
        long cdEnd = out.size();
        out.write(beforeEnd, 0, beforeEnd.length);
        u32(out, BundleFormat.END_OF_CENTRAL_DIRECTORY);
        u16(out, endDisk);
        u16(out, endDisk);
        u16(out, endCount != null ? endCount : count);
        u16(out, endCount != null ? endCount : count);
        u32(out, endCentralSize != null ? endCentralSize : cdEnd - cdStart);
        u32(out, endCentralOffset != null ? endCentralOffset : cdStart);
        u16(out, endComment.length);
        out.write(endComment, 0, endComment.length);
        out.write(trailing, 0, trailing.length);
        return out.toByteArray();
    }

    static byte[] alignment(long headerOffset, int nameLength) {
        int n = BundleFormat.alignmentExtraLength(headerOffset, nameLength);
        byte[] e = new byte[n];
        if (n > 0) {
            e[0] = (byte) 0x35;
            e[1] = (byte) 0xD9;
            e[2] = (byte) (n - 4);
            e[3] = (byte) ((n - 4) >> 8);
            e[4] = 0;
            e[5] = 0x40;
        }
        return e;
    }

    static long crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data, 0, data.length);
        return c.getValue();
    }

    static void u16(ByteArrayOutputStream out, int v) {
        out.write(v & 0xff);
        out.write((v >> 8) & 0xff);
    }

    static void u32(ByteArrayOutputStream out, long v) {
        u16(out, (int) (v & 0xffff));
        u16(out, (int) ((v >> 16) & 0xffff));
    }
}
