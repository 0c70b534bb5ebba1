package dev.satchel.packager.quantize;

/**
 * Agreement of one model output between the original and the quantized model over the evaluation
 * samples. Each sample's output is compared as one flat vector.
 *
 * @param name the output's name
 * @param meanCosine mean over samples of the cosine similarity
 * @param minCosine the worst sample's cosine similarity
 * @param sqnrDb signal-to-quantization-noise ratio over all samples, in dB
 *     ({@code 10 log10(sum ref^2 / sum (ref - q)^2)}; infinite when identical)
 * @param maxAbsError largest absolute element difference
 * @param top1Agreement share of rows whose arg-max agrees, for outputs shaped like class scores
 *     ([N, C] with C > 1); NaN otherwise
 */
public record OutputQuality(String name, double meanCosine, double minCosine, double sqnrDb, double maxAbsError,
        double top1Agreement) {}
