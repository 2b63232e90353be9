#!/usr/bin/env python3
"""Derives the fuzz targets' seed corpora from the captures in pcaps/.

Each seed is written in the input format its harness reads (see
tests/fuzz/*_fuzz.cpp): frames behind a link-type byte, TCP segments and
stream chunks behind their header bytes, certificates, HTTP heads and DNS
messages as they are, small captures whole. tshark reads the fields; the
frames come from the files. Seeds are named by their SHA-1, as libFuzzer
names them, and every run gives the same corpus.

usage: make_seeds.py PCAPS_DIR CORPUS_DIR
"""
import gzip
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

SEEDS_PER_TARGET = 40
# The link types of packet_decoder_fuzz.cpp, in its order.
LINK_TYPE_INDEX = {0: 0, 1: 1, 12: 2, 101: 2, 108: 3, 113: 4, 228: 5, 229: 6, 276: 7}
HTTP_METHODS = (b"GET ", b"POST ", b"PUT ", b"HEAD ", b"CONNECT ", b"DELETE ", b"OPTIONS ", b"PATCH ")
FIELDS = ["frame.number", "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags",
          "tcp.window_size_value", "tcp.payload", "udp.srcport", "udp.dstport", "udp.payload", "frame.time_epoch"]


def read_classic_pcap(path):
    """(link type, [frame bytes]) of a classic pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    link_type = struct.unpack(endian + "I", data[20:24])[0]
    frames, offset = [], 24
    while offset + 16 <= len(data):
        captured = struct.unpack(endian + "I", data[offset + 8:offset + 12])[0]
        frames.append(data[offset + 16:offset + 16 + captured])
        offset += 16 + captured
    return link_type & 0xFFFF, frames


def as_classic_pcap(path, scratch):
    """The capture as a classic pcap; None for a pcapng whose interfaces have several link types."""
    if path.endswith(".pcap"):
        return path
    converted = os.path.join(scratch, os.path.basename(path) + ".pcap")
    if subprocess.run(["editcap", "-F", "pcap", path, converted], capture_output=True).returncode != 0:
        return None
    return converted


def packets_of(path):
    """Per frame: a dict of the tshark fields (absent fields missing)."""
    command = ["tshark", "-r", path, "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"]
    for field in FIELDS:
        command += ["-e", field]
    output = subprocess.run(command, capture_output=True, text=True).stdout  # a damaged file still gives its frames
    packets = []
    for line in output.splitlines():
        values = line.split("|")
        packets.append({name: value for name, value in zip(FIELDS, values) if value})
    return packets


def tcp_streams(packets):
    """Per TCP stream: its segments in capture order, each with its direction (1: from the server)."""
    streams = {}
    for packet in packets:
        if all(field in packet for field in ("tcp.stream", "tcp.seq_raw", "tcp.flags", "tcp.srcport")):
            streams.setdefault(int(packet["tcp.stream"]), []).append(packet)
    result = []
    for segments in streams.values():
        first = segments[0]
        flags = int(first["tcp.flags"], 16)
        if flags & 0x12 == 0x12:  # the SYN-ACK's sender is the server
            server_port = first["tcp.srcport"]
        elif flags & 0x02:
            server_port = first["tcp.dstport"]
        else:
            server_port = min(first["tcp.srcport"], first["tcp.dstport"], key=int)
        result.append([(1 if s["tcp.srcport"] == server_port else 0, s) for s in segments])
    return result


def payload_of(segment, layer="tcp"):
    return bytes.fromhex(segment.get(layer + ".payload", "").replace(":", ""))


def ordered_chunks(stream):
    """Each direction's new bytes in capture order (retransmissions and reordering dropped)."""
    next_seq, chunks = {}, []
    for direction, segment in stream:
        payload = payload_of(segment)
        seq = int(segment["tcp.seq_raw"])
        if int(segment["tcp.flags"], 16) & 0x02:
            next_seq[direction] = (seq + 1) % 2**32
            continue
        if not payload:
            continue
        if next_seq.setdefault(direction, seq) != seq:
            continue
        next_seq[direction] = (seq + len(payload)) % 2**32
        chunks.append((direction, payload))
    return chunks


def chunk_input(chunks, limit):
    """The chunk format of tests/fuzz/stream_chunks.h."""
    out = bytearray()
    for direction, payload in chunks:
        for start in range(0, len(payload), 0xFFFF):
            piece = payload[start:start + 0xFFFF]
            if len(out) + 3 + len(piece) > limit:
                return bytes(out)
            out += bytes([direction]) + struct.pack(">H", len(piece)) + piece
    return bytes(out)


def tcp_reassembly_input(stream, limit):
    """The segment format of tests/fuzz/tcp_reassembly_fuzz.cpp, sequence numbers relative to each side's first."""
    out = bytearray([0x3F, 0xFF, 0x00])  # four flows, long timelines, no small caps; judged at the end
    isn = {}
    for direction, segment in stream:
        isn.setdefault(direction, int(segment["tcp.seq_raw"]) - (0 if int(segment["tcp.flags"], 16) & 0x02 else 1))
    for direction, segment in stream:
        flags = int(segment["tcp.flags"], 16) & 0xFF
        seq = (int(segment["tcp.seq_raw"]) - isn[direction]) % 2**32
        ack = (int(segment.get("tcp.ack_raw", "0")) - isn.get(1 - direction, 0)) % 2**32 if flags & 0x10 else 0
        window = int(segment.get("tcp.window_size_value", "0")) & 0xFFFF
        payload = payload_of(segment)
        pieces = [payload[i:i + 255] for i in range(0, len(payload), 255)] or [b""]
        for index, piece in enumerate(pieces):
            piece_flags = flags if index == len(pieces) - 1 else flags & ~0x01
            record = bytes([direction, piece_flags]) + struct.pack(">HHH", (seq + 255 * index) & 0xFFFF, ack & 0xFFFF,
                                                                   window) + bytes([len(piece)]) + piece
            if len(out) + len(record) > limit:
                return bytes(out)
            out += record
    return bytes(out)


def certificates_in(server_bytes):
    """DER certificates of the TLS 1.2 Certificate messages in a server's stream bytes."""
    handshake, offset = bytearray(), 0
    while offset + 5 <= len(server_bytes):
        content_type, length = server_bytes[offset], struct.unpack(">H", server_bytes[offset + 3:offset + 5])[0]
        if content_type == 22:
            handshake += server_bytes[offset + 5:offset + 5 + length]
        elif content_type not in (20, 21, 23):
            break
        offset += 5 + length
    certificates, offset = [], 0
    while offset + 4 <= len(handshake):
        kind, length = handshake[offset], int.from_bytes(handshake[offset + 1:offset + 4], "big")
        body = handshake[offset + 4:offset + 4 + length]
        if kind == 11 and len(body) >= 3:
            position = 3
            while position + 3 <= len(body):
                size = int.from_bytes(body[position:position + 3], "big")
                certificates.append(bytes(body[position + 3:position + 3 + size]))
                position += 3 + size
        offset += 4 + length
    return certificates


def http_head(payload):
    end = payload.find(b"\r\n\r\n")
    return payload[:end + 4] if end >= 0 else payload


def pick(candidates, count=SEEDS_PER_TARGET):
    """At most `count` distinct candidates, spread evenly over the list."""
    unique = list(dict.fromkeys(c for c in candidates if c))
    if len(unique) <= count:
        return unique
    return [unique[i * len(unique) // count] for i in range(count)]


def write_corpus(directory, seeds):
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        os.remove(os.path.join(directory, name))
    for seed in seeds:
        with open(os.path.join(directory, hashlib.sha1(seed).hexdigest()), "wb") as f:
            f.write(seed)


def big_endian_copy(path):
    """A classic pcap written with the other byte order (editcap writes only the host's)."""
    link_type, frames = read_classic_pcap(path)
    out = bytearray(struct.pack(">IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, link_type))
    for number, frame in enumerate(frames):
        out += struct.pack(">IIII", 1_600_000_000 + number, 0, len(frame), len(frame)) + frame
    return bytes(out)


def pcapng_block(block_type, body, endian="<"):
    length = len(body) + 12
    return struct.pack(endian + "II", block_type, length) + body + struct.pack(endian + "I", length)


def pcapng_seeds(frame):
    """pcapng files libpcap refuses or that test the reader's edges, around one Ethernet frame."""
    def section(endian="<"):
        return pcapng_block(0x0A0D0D0A, struct.pack(endian + "IHHq", 0x1A2B3C4D, 1, 0, -1), endian)

    def interface(link_type, snaplen, options=b"", endian="<"):
        return pcapng_block(1, struct.pack(endian + "HHI", link_type, 0, snaplen) + options, endian)

    def packet(interface_id, units, data, endian="<", original=None):
        padded = data + bytes(-len(data) % 4)
        return pcapng_block(6, struct.pack(endian + "IIIII", interface_id, units >> 32, units & 0xFFFFFFFF, len(data),
                                           len(data) if original is None else original) + padded, endian)

    def resolution(value):
        return struct.pack("<HHB3x", 9, 1, value) + struct.pack("<HH", 0, 0)

    raw = frame[14:]
    two_link_types = (section() + interface(1, 65535) + interface(101, 96) + packet(0, 1, frame) + packet(1, 2, raw) +
                      packet(0, 3, frame))
    big_endian = section(">") + interface(113, 262144, endian=">") + packet(0, 5, bytes(16) + raw, ">")
    simple = section() + interface(1, 62) + pcapng_block(3, struct.pack("<I", 1514) + frame[:62] + bytes(2))
    # Custom and systemd journal blocks are frames to Wireshark; the others hold none.
    skipped = (section() + pcapng_block(0xBAD, bytes(4)) + interface(1, 65535) + pcapng_block(4, bytes(8)) +
               pcapng_block(5, bytes(16)) + pcapng_block(0x0A, struct.pack("<II", 0x544C534B, 4) + b"keys") +
               pcapng_block(9, b"__REALTIME_TIMESTAMP=1710234900000000\nMESSAGE=x\n\0\0\0\0") + pcapng_block(0x40000BAD, bytes(8)) + packet(0, 1, frame))
    resolutions = (section() + interface(1, 65535, resolution(9)) + interface(1, 65535, resolution(0x80 | 20)) +
                   interface(105, 65535, resolution(12)) + packet(0, 1_710_234_900_123_456_789, frame) +
                   packet(1, 3 << 20 | 5, frame) + packet(2, 10 ** 15, bytes(24)))
    oversize = two_link_types + struct.pack("<II", 6, 0xFFFFFFF0) + bytes(32)
    return [two_link_types, two_link_types + big_endian, simple, skipped, resolutions, oversize,
            two_link_types[:-10], big_endian[:-3] + big_endian[-2:] + b"\0"]


def main():
    pcaps_dir, corpus_dir = sys.argv[1], sys.argv[2]
    captures = sorted(os.path.join(root, name) for root, _, names in os.walk(pcaps_dir) for name in names
                      if name.endswith((".pcap", ".pcapng")))
    seeds = {name: [] for name in ("packet_decoder", "ip_fragments", "tcp_reassembly", "tls", "x509", "http",
                                   "dns_message", "dns_tcp", "capture_file", "key_log", "pipeline")}
    with tempfile.TemporaryDirectory() as scratch:
        for capture in captures:
            classic = as_classic_pcap(capture, scratch)
            if classic is None:
                seeds["capture_file"].append(open(capture, "rb").read()[:8192])
                seeds["pipeline"].append(open(capture, "rb").read())
                continue
            link_type, frames = read_classic_pcap(classic)
            if link_type in LINK_TYPE_INDEX:
                seeds["packet_decoder"] += [bytes([LINK_TYPE_INDEX[link_type], 0]) + f for f in frames[:6]]
            packets = packets_of(classic)
            for packet in packets:
                if "53" in (packet.get("udp.srcport"), packet.get("udp.dstport")):
                    seeds["dns_message"].append(payload_of(packet, "udp"))
            for stream in tcp_streams(packets)[:3]:
                chunks = ordered_chunks(stream)
                seeds["tcp_reassembly"].append(tcp_reassembly_input(stream[:60], 8192))
                if chunks and chunks[0][1][:1] in (b"\x16", b"\x80"):
                    seeds["tls"].append(chunk_input(chunks, 32768))
                    seeds["x509"] += certificates_in(b"".join(p for d, p in chunks if d == 1))
                for direction, payload in chunks[:2]:
                    if payload.startswith(HTTP_METHODS) or payload.startswith(b"HTTP/1."):
                        seeds["http"].append(http_head(payload))
            size = os.path.getsize(capture)
            if size <= 16384:
                seeds["pipeline"].append(open(capture, "rb").read())
            few = os.path.join(scratch, "few.pcap")
            if subprocess.run(["editcap", "-r", classic, few, "1-4"], capture_output=True).returncode == 0:
                seeds["capture_file"].append(open(few, "rb").read())
            if capture.endswith(".pcapng") or link_type != 1:
                seeds["capture_file"].append(open(capture, "rb").read()[:8192])
        for fmt in ("pcapng", "nsecpcap"):
            converted = os.path.join(scratch, "converted")
            subprocess.run(["editcap", "-F", fmt, "-r", os.path.join(pcaps_dir, "lab", "dns-nxdomain.pcap"),
                            converted, "1-4"], check=True, capture_output=True)
            seeds["capture_file"].insert(0, open(converted, "rb").read())
            seeds["pipeline"].insert(0, open(converted, "rb").read())
        seeds["capture_file"].insert(0, big_endian_copy(os.path.join(pcaps_dir, "lab", "dns-nxdomain.pcap")))
        _, lab_frames = read_classic_pcap(os.path.join(pcaps_dir, "lab", "dns-nxdomain.pcap"))
        # Kept whatever the spread picks: no capture in pcaps/ has these shapes.
        crafted = {"capture_file": pcapng_seeds(lab_frames[0])}
        # The same capture compressed, as trustcap reads .pcap.gz and .pcap.zst.
        few_frames = os.path.join(scratch, "few-compressed.pcap")
        subprocess.run(["editcap", "-r", os.path.join(pcaps_dir, "lab", "dns-nxdomain.pcap"), few_frames, "1-4"],
                       check=True, capture_output=True)
        plain = open(few_frames, "rb").read()
        seeds["capture_file"].insert(0, gzip.compress(plain, mtime=0))
        seeds["capture_file"].insert(0, subprocess.run(["zstd", "-q", "-c"], input=plain, check=True,
                                                       capture_output=True).stdout)
        for pem in sorted(f for f in os.listdir(os.path.join(pcaps_dir, "generated-tls")) if f.endswith(".pem")):
            der = subprocess.run(["openssl", "x509", "-outform", "der", "-in",
                                  os.path.join(pcaps_dir, "generated-tls", pem)], check=True, capture_output=True).stdout
            seeds["x509"].insert(0, der)

    # DNS over TCP: the captures' UDP messages, paired and framed as TCP carries them.
    messages = pick(seeds["dns_message"], 20)
    for query, response in zip(messages[0::2], messages[1::2]):
        seeds["dns_tcp"].append(chunk_input([(0, struct.pack(">H", len(query)) + query),
                                             (1, struct.pack(">H", len(response)) + response)], 4096))
    seeds["ip_fragments"] = ip_fragment_seeds()
    seeds["key_log"] = [open(os.path.join(root, name), "rb").read() for root, _, names in sorted(os.walk(pcaps_dir))
                        for name in sorted(names) if name.endswith(".keylog")]
    for target, candidates in seeds.items():
        write_corpus(os.path.join(corpus_dir, target), pick(candidates) + crafted.get(target, []))


def ip_fragment_seeds():
    """Datagrams in the fragment format of tests/fuzz/ip_fragments_fuzz.cpp: in order, reversed, overlapping."""
    def fragment(identification, offset, more, payload):
        shape = (identification & 7) << 2 | (0x40 if more else 0)
        return bytes([shape]) + struct.pack(">H", offset // 8) + bytes([len(payload)]) + payload
    body = bytes(range(200))
    pieces = [(0, True, body[:80]), (80, True, body[80:160]), (160, False, body[160:])]
    seeds = [b"\x00" + b"".join(fragment(1, *p) for p in pieces),
             b"\x00" + b"".join(fragment(2, *p) for p in reversed(pieces)),
             b"\x00" + fragment(3, 0, True, body[:96]) + fragment(3, 80, False, body[80:]),
             b"\x03" + b"".join(fragment(4, *p) for p in pieces) + fragment(5, 0, True, body[:8]),
             b"\x00" + b"".join(fragment(i, 0, True, body[:16]) for i in range(8))]
    return seeds


if __name__ == "__main__":
    main()
