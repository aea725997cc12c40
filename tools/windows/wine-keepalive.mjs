// Wine shim, loaded with --import by the Windows lane only (never by the product): Wine 8 rejects
// setKeepAlive(true, delay) on a socket that is still connecting, which undici does for every connection, and the
// connect then fails with errno UNKNOWN. Real Windows accepts it. This applies the call once the socket is connected.
import net from 'node:net';

const setKeepAlive = net.Socket.prototype.setKeepAlive;
net.Socket.prototype.setKeepAlive = function setKeepAliveAfterConnect(...args) {
  if (this.connecting) {
    this.once('connect', () => setKeepAlive.apply(this, args));
    return this;
  }
  return setKeepAlive.apply(this, args);
};
