package org.texfarm.loadtest.workload;

import java.util.Locale;

/** What an editor's compile is: the first of a new project, one after a one-word edit, or one with nothing changed. */
public enum CompileKind {
    FIRST, EDIT, UNCHANGED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
