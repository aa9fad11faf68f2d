package org.texfarm.synctex;

/**
 * One record of a SyncTeX file, linked into its page's tree. Positions are in TeX's scaled points
 * as recorded; hboxes also carry their "visible" extent, grown during parsing to cover their
 * contents, as TeX Live's synctex parser computes it. Mutable only while {@link SyncTexReader}
 * builds the tree.
 */
final class Node {
    enum Type {
        SHEET, VBOX, HBOX, VOID_VBOX, VOID_HBOX, KERN, GLUE, RULE, MATH,
        /** An {@code x} record: a position within a line. */
        BOUNDARY,
        /** Made by the parser at the start and end of each hbox; not in the file. */
        BOX_BOUNDARY;

        boolean isBox() {
            return this == VBOX || this == HBOX || this == VOID_VBOX || this == VOID_HBOX;
        }

        boolean hasChildren() {
            return this == SHEET || this == VBOX || this == HBOX;
        }
    }

    final Type type;
    int tag;
    int line;
    int column = -1;
    int h;
    int v;
    int width;
    int height;
    int depth;

    /** The visible extent of an hbox. */
    int visibleH;
    int visibleV;
    int visibleWidth;
    int visibleHeight;
    int visibleDepth;
    /** Of an hbox: the weighted mean of its contents' lines, and that weight. */
    int meanLine;
    int weight;
    /** Of a sheet: its page number. */
    int page;

    Node parent;
    Node firstChild;
    Node lastChild;
    Node next;
    /** The next node registered under the same tag and line bucket. */
    Node friend;
    /** Of a sheet: its hboxes in reverse closing order; of an hbox: the one closed before it. */
    Node nextHbox;

    Node(Type type) {
        this.type = type;
    }

    void append(Node child) {
        child.parent = this;
        if (lastChild == null) {
            firstChild = child;
        } else {
            lastChild.next = child;
        }
        lastChild = child;
    }

    void copyPlaceFrom(Node model) {
        tag = model.tag;
        line = model.line;
        column = model.column;
    }

    int page() {
        Node node = this;
        while (node.parent != null) {
            node = node.parent;
        }
        return node.type == Type.SHEET ? node.page : -1;
    }

    /** Of a box: the mean line of its contents; of a node in an hbox, that hbox's; else its line. */
    int meanLine() {
        if (type == Type.HBOX) {
            return meanLine;
        }
        return parent != null && parent.type == Type.HBOX ? parent.meanLine : line;
    }

    int visibleHOrRecorded() {
        return type == Type.HBOX ? visibleH : h;
    }

    int visibleVOrRecorded() {
        return type == Type.HBOX ? visibleV : v;
    }

    int visibleWidthOrRecorded() {
        return type == Type.HBOX ? visibleWidth : width;
    }

    int visibleHeightOrRecorded() {
        return type == Type.HBOX ? visibleHeight : height;
    }

    int visibleDepthOrRecorded() {
        return type == Type.HBOX ? visibleDepth : depth;
    }
}
