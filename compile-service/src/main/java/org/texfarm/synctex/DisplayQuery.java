package org.texfarm.synctex;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Source line to typeset nodes, as {@code synctex view} (parser 1.21) finds them: the nodes
 * indexed under the line, else under the nearest line that has some (L, L+1, L-1, L+2, ...);
 * one node per line box but every node of a vertical list; grouped by page.
 */
final class DisplayQuery {
    private static final int PROBES = 100;

    /** A found node, chained to the others of its page ({@code child}) and to other pages ({@code sibling}). */
    private static final class Handle {
        final Node target;
        final int page;
        Handle child;
        Handle sibling;
        int weight;

        Handle(Node target) {
            this.target = target;
            this.page = target.page();
        }
    }

    private DisplayQuery() {
    }

    static List<Node> find(Node[] friends, int tag, int maxLine, int requestedLine) {
        int line = Math.min(requestedLine, maxLine);
        int step = 1;
        for (int probe = 0; probe < PROBES && line <= maxLine; probe++) {
            int key = tag + line;
            Node head = key >= 0 ? friends[key % SyncTexReader.FRIEND_BUCKETS] : null;
            if (head != null) {
                Handle found = collect(head, tag, line, true);
                if (found == null) {
                    found = collect(head, tag, line, false);
                }
                if (found != null) {
                    return ordered(found);
                }
            }
            line += step;
            step = next(step);
            if (line <= 0) {
                line += step;
                step = next(step);
            }
        }
        return List.of();
    }

    private static int next(int step) {
        return step < 0 ? -(step - 1) : -(step + 1);
    }

    /** The nodes of a tag and line, chained per page; the tool's order, which later steps depend on. */
    private static Handle collect(Node head, int tag, int line, boolean leaveOutBoxes) {
        Handle first = null;
        boolean morePages = false;
        for (Node node = head; node != null; node = node.friend) {
            if (node.tag != tag || node.line != line || (leaveOutBoxes && node.type.isBox())) {
                continue;
            }
            Handle handle = new Handle(node);
            if (first == null) {
                first = handle;
            } else if (!morePages && handle.page == first.page) {
                handle.child = first;
                first = handle;
            } else if (!morePages) {
                first.sibling = handle;
                morePages = true;
            } else {
                Handle samePage = first;
                while (samePage != null && samePage.page != handle.page) {
                    samePage = samePage.sibling;
                }
                if (samePage != null) {
                    handle.child = samePage.child;
                    samePage.child = handle;
                } else {
                    handle.sibling = first;
                    first = handle;
                }
            }
        }
        return first;
    }

    /** Sorts each page's chain and orders the pages: the lowest page first, the others after it in the tool's order. */
    private static List<Node> ordered(Handle found) {
        Handle rest = found.sibling;
        found.sibling = null;
        Handle result = sorted(found);
        int best = result.page;
        while (rest != null) {
            Handle page = rest;
            rest = rest.sibling;
            page.sibling = null;
            page = sorted(page);
            if (Math.abs(page.page) < best) {
                page.sibling = result;
                result = page;
                best = Math.abs(page.page);
            } else {
                page.sibling = result.sibling;
                result.sibling = page;
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (Handle page = result; page != null; page = page.sibling) {
            for (Handle handle = page; handle != null; handle = handle.child) {
                nodes.add(handle.target);
            }
        }
        return nodes;
    }

    /**
     * One page's chain: the first node of each line box, weighted by how many of its nodes carry
     * the line, and every node of a vertical list, heaviest first as the tool inserts them.
     */
    private static Handle sorted(Handle chain) {
        Node model = chain.target;
        Map<Node, Integer> lineBoxWeights = new IdentityHashMap<>();
        for (Handle handle = chain; handle != null; handle = handle.child) {
            Node parent = handle.target.parent;
            boolean lineBox = parent.type == Node.Type.HBOX;
            if (lineBox && lineBoxWeights.containsKey(parent)) {
                handle.weight = 0;
                continue;
            }
            int weight = 0;
            for (Node sibling = parent.firstChild; sibling != null; sibling = sibling.next) {
                if (sibling.tag == model.tag && sibling.line == model.line) {
                    weight++;
                }
            }
            handle.weight = weight;
            if (lineBox) {
                lineBoxWeights.put(parent, weight);
            }
        }
        Handle rest = chain.child;
        chain.child = null;
        Handle result = chain;
        while (rest != null) {
            Handle handle = rest;
            rest = rest.child;
            handle.child = null;
            if (handle.weight > result.weight) {
                handle.child = result;
                result = handle;
            } else if (handle.weight > 0) {
                Handle after = result;
                if (after.child != null) {
                    do {
                        after = after.child;
                    } while (after.child != null && handle.weight < after.weight);
                }
                handle.child = after.child;
                after.child = handle;
            }
        }
        return result;
    }
}
