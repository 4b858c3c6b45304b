package io.sluice.adminui.messages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The exports this console ran, by the id their page gave them, for the page to poll their progress: the
 * {@value #KEPT} most recent, older ones forgotten (their files are unaffected). Thread-safe.
 */
@Component
class Exports {

    static final int KEPT = 200;

    private final Map<String, ExportProgress> byId = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ExportProgress> eldest) {
            return size() > KEPT;
        }
    };

    /** A new export's progress under {@code id}, replacing one that had it (a download started again). */
    synchronized ExportProgress start(String id) {
        ExportProgress progress = new ExportProgress();
        byId.put(id, progress);
        return progress;
    }

    synchronized Optional<ExportProgress> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
