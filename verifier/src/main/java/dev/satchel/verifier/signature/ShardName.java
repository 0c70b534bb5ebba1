package dev.satchel.verifier.signature;

/** A shard resource name {@code path:start:end} (end exclusive), parsed from the right. */
final class ShardName {
    private final String path;
    private final long start;
    private final long end;

    ShardName(String path, long start, long end) {
        this.path = path;
        this.start = start;
        this.end = end;
    }

    static ShardName parse(String name, String where) throws ModelSignatureException {
        // Parse the last two components so that a ':' in the file name cannot shift the offsets.
        int b = name.lastIndexOf(':');
        int a = b > 0 ? name.lastIndexOf(':', b - 1) : -1;
        if (a <= 0) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                    where + "/name: expected 'path:start:end' for a shard, got '" + name + "'");
        }
        try {
            long s = Long.parseLong(name.substring(a + 1, b));
            long e = Long.parseLong(name.substring(b + 1));
            if (s < 0 || e <= s) {
                throw new NumberFormatException();
            }
            return new ShardName(name.substring(0, a), s, e);
        } catch (NumberFormatException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                    where + "/name: bad shard range in '" + name + "'");
        }
    }

    static String format(String path, long start, long end) {
        return path + ":" + start + ":" + end;
    }

    String path() {
        return path;
    }

    long start() {
        return start;
    }

    long end() {
        return end;
    }
}
