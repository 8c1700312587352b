package dev.linea.plot;

/**
 * Columns and rows for a grid of tiles, as near to square as possible.
 *
 * @param columns tiles per row
 * @param rows number of rows
 */
record TileLayout(int columns, int rows) {

    /**
     * Prefers an exact factorisation with at most twice as many columns as rows (128 gives 16 x 8, 100 gives
     * 10 x 10) so the last row is full; otherwise uses ceil(sqrt(n)) columns.
     */
    static TileLayout nearSquare(int n) {
        if (n <= 0) {
            return new TileLayout(1, 0);
        }
        int root = (int) Math.ceil(Math.sqrt(n));
        for (int cols = root; cols <= 2 * Math.sqrt(n); cols++) {
            if (n % cols == 0 && cols <= 2 * (n / cols)) {
                return new TileLayout(cols, n / cols);
            }
        }
        return new TileLayout(root, (n + root - 1) / root);
    }

    /** {@code columns} tiles per row, as many rows as {@code n} needs. */
    static TileLayout withColumns(int n, int columns) {
        if (columns <= 0) {
            throw new IllegalArgumentException("columns must be positive, got " + columns);
        }
        int cols = Math.max(1, Math.min(columns, n));
        return new TileLayout(cols, (n + cols - 1) / cols);
    }
}
