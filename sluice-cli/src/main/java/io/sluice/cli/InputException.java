package io.sluice.cli;

/** Input the CLI cannot send (a line that is not JSON under --value-format json, a file it cannot read). */
final class InputException extends RuntimeException {

    InputException(String message) {
        super(message);
    }
}
