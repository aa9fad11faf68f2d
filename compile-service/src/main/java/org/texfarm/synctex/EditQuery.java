package org.texfarm.synctex;

import java.util.List;

/**
 * PDF point to typeset nodes, as {@code synctex edit} (parser 1.21) finds them: the smallest
 * line box that holds the point, then the nodes nearest to it on its left and right, or, when no
 * line box holds it, the node of the page nearest to it. Distances are in scaled points.
 */
final class EditQuery {
    private static final int FAR = Integer.MAX_VALUE;

    /** A node and its distance to the point. */
    private record Near(Node node, int distance) {
        static final Near NONE = new Near(null, FAR);
    }

    private EditQuery() {
    }

    static List<Node> find(Node sheet, int h, int v) {
        if (sheet == null) {
            return List.of();
        }
        for (Node hbox = sheet.nextHbox; hbox != null; hbox = hbox.nextHbox) {
            if (contains(hbox, h, v)) {
                Node smallest = hbox;
                for (Node other = hbox.nextHbox; other != null; other = other.nextHbox) {
                    if (contains(other, h, v)) {
                        smallest = smaller(other, smallest);
                    }
                }
                Node container = deepestContainer(smallest, h, v);
                if (container == null) {
                    container = smallest;
                }
                Near[] sides = closestChildren(container, h, v);
                return answer(sides[0], sides[1], container);
            }
        }
        Node root = sheet.firstChild;
        return root == null ? List.of() : answer(closestDeepChild(root, h, v), Near.NONE, root);
    }

    private static List<Node> answer(Near left, Near right, Node container) {
        if (left.node() != null && right.node() != null) {
            Node l = left.node();
            Node r = right.node();
            if (l.tag != r.tag || l.line != r.line || l.column != r.column) {
                boolean swap = r.line < l.line || (r.line == l.line && left.distance() > right.distance());
                return swap ? List.of(r, l) : List.of(l, r);
            }
            return List.of(left.distance() > right.distance() ? r : l);
        }
        if (right.node() != null) {
            return List.of(right.node());
        }
        return List.of(left.node() != null ? left.node() : container);
    }

    /** Of two boxes holding the point: the one of smaller area, then the wider as recorded, then the shorter. */
    private static Node smaller(Node a, Node b) {
        long thicknessA = (long) Math.abs(a.visibleDepth) + Math.abs(a.visibleHeight);
        long thicknessB = (long) Math.abs(b.visibleDepth) + Math.abs(b.visibleHeight);
        int byArea = Long.compareUnsigned(thicknessA * Math.abs(a.visibleWidth), thicknessB * Math.abs(b.visibleWidth));
        if (byArea != 0) {
            return byArea < 0 ? a : b;
        }
        if (Math.abs(a.width) != Math.abs(b.width)) {
            return Math.abs(a.width) > Math.abs(b.width) ? a : b;
        }
        return thicknessA <= thicknessB ? a : b;
    }

    private static Node deepestContainer(Node node, int h, int v) {
        if (node.firstChild == null) {
            return null;
        }
        for (Node child = node.firstChild; child != null; child = child.next) {
            if (contains(child, h, v)) {
                Node deeper = deepestContainer(child, h, v);
                if (deeper != null) {
                    return deeper;
                }
            }
        }
        if (node.type == Node.Type.VBOX) {
            Node best = null;
            int bestDistance = FAR;
            for (Node child = node.firstChild; child != null; child = child.next) {
                if (child.firstChild != null) {
                    int distance = distance(child, h, v);
                    if (distance <= bestDistance) {
                        best = child;
                        bestDistance = distance;
                    }
                }
            }
            if (best != null) {
                return best;
            }
        }
        return contains(node, h, v) ? node : null;
    }

    /** The tool's second deepest-container search: it descends into the first child with children whatever the point. */
    private static Near deepestContainerOrNearest(Node node, int h, int v) {
        if (node.firstChild == null) {
            return Near.NONE;
        }
        for (Node child = node.firstChild; child != null; child = child.next) {
            Near deeper = deepestContainerOrNearest(child, h, v);
            if (deeper.node() != null) {
                return deeper;
            }
        }
        if (node.type == Node.Type.VBOX) {
            Near best = Near.NONE;
            for (Node child = node.firstChild; child != null; child = child.next) {
                if (child.firstChild != null) {
                    int distance = distance(child, h, v);
                    if (distance < best.distance()) {
                        best = new Near(child, distance);
                    }
                }
            }
            if (best.node() != null) {
                return best;
            }
        }
        return contains(node, h, v) ? new Near(node, 0) : Near.NONE;
    }

    private static Near closestDeepChild(Node node, int h, int v) {
        Near best = Near.NONE;
        for (Node child = node.firstChild; child != null; child = child.next) {
            Near candidate = child.type.isBox() ? closestDeepChild(child, h, v) : new Near(child, distance(child, h, v));
            if (candidate.distance() < best.distance() || (candidate.distance() == best.distance()
                    && (candidate.node() == null || candidate.node().type != Node.Type.KERN))) {
                best = candidate;
            }
        }
        return best;
    }

    /** The nearest children left and right of the point in a line box; none in a vertical list, as in the tool. */
    private static Near[] closestChildren(Node box, int h, int v) {
        if (box.type != Node.Type.HBOX) {
            return new Near[] {Near.NONE, Near.NONE};
        }
        Near left = Near.NONE;
        Near right = Near.NONE;
        for (Node child = box.firstChild; child != null; child = child.next) {
            int distance = horizontalDistance(child, h);
            if (distance > 0) {
                right = closer(right, child, distance);
            } else if (distance == 0) {
                if (child.firstChild != null) {
                    return closestChildren(child, h, v);
                }
                left = new Near(child, 0);
            } else {
                left = closer(left, child, -distance);
            }
        }
        return new Near[] {deepen(left, h, v), deepen(right, h, v)};
    }

    private static Near closer(Near current, Node candidate, int distance) {
        if (current.distance() > distance) {
            return new Near(candidate, distance);
        }
        Node node = current.node();
        if (current.distance() == distance && node != null && node.tag == candidate.tag
                && (node.line > candidate.line || (node.line == candidate.line && node.column > candidate.column))) {
            return new Near(candidate, distance);
        }
        return current;
    }

    private static Near deepen(Near near, int h, int v) {
        if (near.node() == null) {
            return near;
        }
        Near deeper = deepestContainerOrNearest(near.node(), h, v);
        Near result = deeper.node() != null ? deeper : near;
        Near closest = closestDeepChild(result.node(), h, v);
        return closest.node() != null ? new Near(closest.node(), result.distance()) : result;
    }

    private static boolean contains(Node node, int h, int v) {
        return horizontalDistance(node, h) == 0 && verticalDistance(node, v) == 0;
    }

    /** Positive when the node is right of the point, negative when left, 0 when across it; a kern is never across. */
    private static int horizontalDistance(Node node, int h) {
        return switch (node.type) {
            case VBOX, VOID_VBOX, VOID_HBOX -> toRange(h, node.h, node.h + Math.abs(node.width));
            case HBOX -> toRange(h, node.visibleH, node.visibleH + Math.abs(node.visibleWidth));
            case KERN -> {
                int min = node.width < 0 ? node.h : node.h - node.width;
                int max = node.width < 0 ? node.h - node.width : node.h;
                int middle = (min + max) / 2;
                if (h < min) {
                    yield min - h + 1;
                } else if (h > max) {
                    yield max - h - 1;
                } else if (h > middle) {
                    yield max - h + 1;
                }
                yield min - h - 1;
            }
            case RULE, GLUE, MATH, BOUNDARY, BOX_BOUNDARY -> node.h - h;
            case SHEET -> FAR;
        };
    }

    /** Positive when the node is above the point; boundaries are never across it. */
    private static int verticalDistance(Node node, int v) {
        return switch (node.type) {
            case VBOX, VOID_VBOX, VOID_HBOX -> toRange(v, node.v - Math.abs(node.height), node.v + Math.abs(node.depth));
            case HBOX -> toRange(v, node.visibleV - Math.abs(node.visibleHeight), node.visibleV + Math.abs(node.visibleDepth));
            case RULE, KERN, GLUE, MATH ->
                    toRange(v, node.v - Math.abs(node.parent.height), node.v + Math.abs(node.parent.depth));
            case BOUNDARY, BOX_BOUNDARY, SHEET -> FAR;
        };
    }

    private static int toRange(int at, int min, int max) {
        return at < min ? min - at : at > max ? max - at : 0;
    }

    /** The distance from the point to a node: to a box's area, or to the vertical segment a position marks. */
    private static int distance(Node node, int h, int v) {
        return switch (node.type) {
            case VBOX -> toArea(h, v, node.h, node.h + Math.abs(node.width),
                    node.v - Math.abs(node.height), node.v + Math.abs(node.depth));
            case HBOX -> toArea(h, v, node.visibleH, node.visibleH + Math.abs(node.visibleWidth),
                    node.visibleV - Math.abs(node.visibleHeight), node.visibleV + Math.abs(node.visibleDepth));
            case VOID_VBOX, VOID_HBOX -> {
                int top = node.v - Math.abs(node.height);
                int bottom = node.v + Math.abs(node.depth);
                yield Math.min(toArea(h, v, node.h, node.h, top, bottom),
                        toArea(h, v, node.h + Math.abs(node.width), node.h + Math.abs(node.width), top, bottom));
            }
            case KERN -> {
                int top = node.v - Math.abs(node.parent.height);
                yield Math.min(toArea(h, v, node.h, node.h, top, node.v),
                        toArea(h, v, node.h - node.width, node.h - node.width, top, node.v));
            }
            case GLUE, MATH, BOUNDARY, BOX_BOUNDARY ->
                    toArea(h, v, node.h, node.h, node.v - Math.abs(node.parent.height), node.v);
            case RULE, SHEET -> FAR;
        };
    }

    private static int toArea(int h, int v, int minH, int maxH, int minV, int maxV) {
        int horizontal = h < minH ? minH - h : h <= maxH ? 0 : h - maxH;
        int vertical = v < minV ? minV - v : v <= maxV ? 0 : v - maxV;
        return horizontal + vertical;
    }
}
