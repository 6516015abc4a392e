#!/usr/bin/env python3
"""Test servers for the checker namespace tests (standard library only).

  servers.py tcp ADDR PORT FLAGDIR    line echo: "PING" -> "PONG", or "NOPE" while FLAGDIR/tcp-wrong exists
  servers.py smtp ADDR PORT FLAGDIR   banner 220 (554 while FLAGDIR/smtp-wrong exists), HELO -> 250
  servers.py udp ADDR PORT FLAGDIR    datagram "PING" -> "PONG", or "NOPE" while FLAGDIR/udp-wrong exists
  servers.py udpsilent ADDR PORT FLAGDIR  receives and never answers
"""
import os
import socketserver
import sys


class Tcp(socketserver.StreamRequestHandler):
    def handle(self):
        self.rfile.readline()
        wrong = os.path.exists(os.path.join(self.server.flagdir, "tcp-wrong"))
        self.wfile.write(b"NOPE\n" if wrong else b"PONG\n")


class Smtp(socketserver.StreamRequestHandler):
    def handle(self):
        if os.path.exists(os.path.join(self.server.flagdir, "smtp-wrong")):
            self.wfile.write(b"554 no service here\r\n")
            return
        self.wfile.write(b"220-test.example ESMTP\r\n220 ready\r\n")
        line = self.rfile.readline()
        if line.upper().startswith(b"HELO "):
            self.wfile.write(b"250 test.example\r\n")
            self.rfile.readline()
            self.wfile.write(b"221 bye\r\n")
        else:
            self.wfile.write(b"500 what\r\n")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class Udp(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        if self.server.silent:
            return
        wrong = os.path.exists(os.path.join(self.server.flagdir, "udp-wrong"))
        if data.startswith(b"PING"):
            sock.sendto(b"NOPE" if wrong else b"PONG", self.client_address)


def main(argv):
    kind, addr, port, flagdir = argv[1], argv[2], int(argv[3]), argv[4]
    if kind.startswith("udp"):
        srv = socketserver.UDPServer((addr, port), Udp)
        srv.silent = kind == "udpsilent"
        srv.flagdir = flagdir
        srv.serve_forever()
    srv = Server((addr, port), Tcp if kind == "tcp" else Smtp)
    srv.flagdir = flagdir
    srv.serve_forever()


if __name__ == "__main__":
    main(sys.argv)
