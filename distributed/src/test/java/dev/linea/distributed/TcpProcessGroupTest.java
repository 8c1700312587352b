package dev.linea.distributed;

/** {@link ProcessGroupTest} over the TCP ring. */
class TcpProcessGroupTest extends ProcessGroupTest {
    @Override
    Transport transport() {
        return Transport.TCP;
    }
}
