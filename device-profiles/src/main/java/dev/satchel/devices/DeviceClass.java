package dev.satchel.devices;

import java.util.Optional;

/** What kind of target a profile describes. */
public enum DeviceClass {
    PHONE("phone"),
    TABLET("tablet"),
    LAPTOP("laptop"),
    /** Single-board computers and edge modules (Raspberry Pi, Jetson, Coral). */
    BOARD("board"),
    /** A browser tab running ONNX Runtime Web. */
    BROWSER("browser"),
    AUTOMOTIVE("automotive");

    private final String label;

    DeviceClass(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<DeviceClass> fromLabel(String label) {
        for (DeviceClass c : values()) {
            if (c.label.equals(label)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
