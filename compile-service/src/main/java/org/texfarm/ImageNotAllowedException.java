package org.texfarm;

/**
 * A request naming an image its compile group does not allow. CLSI answers a compile with such an
 * image 500 (status {@code error}) and SyncTeX or word count 400 {@code invalid image}.
 */
public class ImageNotAllowedException extends InvalidRequestException {
    public ImageNotAllowedException(String message) {
        super(message);
    }
}
