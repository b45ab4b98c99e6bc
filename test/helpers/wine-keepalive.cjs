// Preloaded (node --require) into the Windows Node under wine by the tests
// that download from 127.0.0.1: wine 8.0 refuses the TCP keep-alive option
// libuv sets on a socket as it connects (setKeepAlive called before the
// connection is made, as Node's fetch, undici, does), and the connection then
// fails with `connect UNKNOWN`. Windows itself has the option (Windows 10
// 1709 and later); only wine lacks it. Here keep-alive is set once connected,
// which wine accepts: what venvctl does is unchanged.
"use strict";
const net = require("node:net");
const setKeepAlive = net.Socket.prototype.setKeepAlive;
net.Socket.prototype.setKeepAlive = function (...args) {
  if (this.connecting) {
    this.once("connect", () => setKeepAlive.apply(this, args));
    return this;
  }
  return setKeepAlive.apply(this, args);
};
