package dev.satchel.verifier.bundle;

/**
 * The fixed values of the bundle format (docs/bundle-format.md §2-§4), shared by the verifier and
 * the packager so the writer cannot drift from what the device accepts.
 */
public final class BundleFormat {
    /** Entry data starts at a multiple of this (16 KiB: the largest common page size, Android 15+ and Apple silicon). */
    public static final int ALIGNMENT = 16384;
    /** Extra-field header id used for alignment padding; the same id Android's zipalign/apksigner use. */
    public static final int ALIGNMENT_EXTRA_ID = 0xD935;
    /** "Version needed to extract": 1.0, stored entries. */
    public static final int VERSION_NEEDED = 10;
    /** "Version made by": host 3 (Unix) so external attributes carry a Unix mode, spec 3.0. */
    public static final int VERSION_MADE_BY = (3 << 8) | 30;
    /** General-purpose flags: bit 11 only (names are UTF-8). */
    public static final int FLAGS = 0x0800;
    /** MS-DOS time 00:00:00. */
    public static final int DOS_TIME = 0;
    /** MS-DOS date 1980-01-01, the earliest a ZIP can express. */
    public static final int DOS_DATE = (0 << 9) | (1 << 5) | 1;
    /** External attributes: Unix regular file, mode 0644, in the high 16 bits. */
    public static final long EXTERNAL_ATTRIBUTES = 0100644L << 16;

    /** Local file header signature. */
    public static final int LOCAL_HEADER = 0x04034b50;
    /** Central directory file header signature. */
    public static final int CENTRAL_HEADER = 0x02014b50;
    /** End of central directory signature. */
    public static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    /** ZIP64 end of central directory record signature. */
    public static final int ZIP64_END = 0x06064b50;
    /** ZIP64 end of central directory locator signature. */
    public static final int ZIP64_LOCATOR = 0x07064b50;
    /** Data descriptor signature (optional in ZIP, never used here). */
    public static final int DATA_DESCRIPTOR = 0x08074b50;

    public static final int LOCAL_HEADER_SIZE = 30;
    public static final int CENTRAL_HEADER_SIZE = 46;
    public static final int END_SIZE = 22;

    /** Name of the signature entry, always first. */
    public static final String SIGNATURE_ENTRY = "model.sig";
    /** Name of the manifest entry, first after the signature. */
    public static final String MANIFEST_ENTRY = "satchel.json";

    private BundleFormat() {}

    /**
     * Length of the local extra field for an entry whose local header starts at
     * {@code headerOffset} with a name of {@code nameLength} bytes: 0 if the data is already
     * aligned, else 6 plus the fewest zero bytes that align it.
     */
    public static int alignmentExtraLength(long headerOffset, int nameLength) {
        long end = headerOffset + LOCAL_HEADER_SIZE + nameLength;
        if (end % ALIGNMENT == 0) {
            return 0;
        }
        long pad = (ALIGNMENT - (end + 6) % ALIGNMENT) % ALIGNMENT;
        return 6 + (int) pad;
    }
}
