package io.sluice.log;

import java.io.IOException;

/** Told each {@link SwapStep} as a swap passes it; tests throw from it to crash the swap there. */
@FunctionalInterface
interface SwapSteps {

    SwapSteps NONE = step -> {
    };

    void reached(SwapStep step) throws IOException;
}
