package org.texfarm.sync;

import java.util.Map;

/**
 * A project's precompiled preamble: a TeX format file in the content store and what it was made from.
 *
 * @param key    the preamble it holds, with the engine, image and options it was dumped for
 * @param format the format file's hash in the store
 * @param inputs the project files (other than the root) that the preamble read, with their hashes
 *               then; the format is stale once any of them changes
 */
public record PreambleFormat(Sha256 key, Sha256 format, Map<String, Sha256> inputs) {
    public PreambleFormat {
        inputs = Map.copyOf(inputs);
    }

    /** Whether this format was made for {@code preambleKey} from the same inputs as {@code files} hold now. */
    public boolean fits(Sha256 preambleKey, Map<String, Sha256> files) {
        return key.equals(preambleKey) && inputs.entrySet().stream()
                .allMatch(input -> input.getValue().equals(files.get(input.getKey())));
    }
}
