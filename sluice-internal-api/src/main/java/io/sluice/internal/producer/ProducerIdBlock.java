package io.sluice.internal.producer;

/** Producer ids [{@code firstProducerId}, {@code firstProducerId + count}), this caller's alone. */
public record ProducerIdBlock(long firstProducerId, int count) {

    public long lastProducerId() {
        return firstProducerId + count - 1;
    }
}
