package dev.satchel.packager.quantize.internal;

import dev.satchel.model.OnnxModel;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.packager.quantize.LayerDecision;
import dev.satchel.packager.quantize.QuantizeException;
import dev.satchel.packager.quantize.QuantizeOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** float16 conversion (weights and compute). */
public final class Fp16Rewriter {
    private final OnnxModel model;
    private final QuantizeOptions opts;
    private final List<LayerDecision> decisions = new ArrayList<>();

    public Fp16Rewriter(OnnxModel model, QuantizeOptions opts) {
        this.model = model;
        this.opts = opts;
    }

    public List<LayerDecision> decisions() {
        return decisions;
    }

    public Onnx.ModelProto run() throws IOException {
        throw new QuantizeException(QuantizeException.Code.UNSUPPORTED, "fp16 not yet");
    }
}
