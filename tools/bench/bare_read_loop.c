/* The baseline of tools/bench: libpcap's own read loop and nothing else.
 *   usage: bare_read_loop CAPTURE [STDIO_BUFFER_BYTES]
 * Without a buffer size the file is opened by pcap_open_offline with stdio's
 * default buffer; with one, through pcap_fopen_offline on a FILE* given that
 * buffer. Prints the frames and captured bytes it read, so the loop cannot be
 * optimised away. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s CAPTURE [STDIO_BUFFER_BYTES]\n", argv[0]);
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t* handle = NULL;
    if (argc == 3) {
        size_t buffer_bytes = strtoul(argv[2], NULL, 10);
        FILE* file = fopen(argv[1], "rb");
        if (file == NULL) {
            perror(argv[1]);
            return 1;
        }
        if (setvbuf(file, NULL, _IOFBF, buffer_bytes) != 0) {
            fprintf(stderr, "setvbuf failed\n");
            return 1;
        }
        handle = pcap_fopen_offline(file, errbuf);
    } else {
        handle = pcap_open_offline(argv[1], errbuf);
    }
    if (handle == NULL) {
        fprintf(stderr, "%s: %s\n", argv[1], errbuf);
        return 1;
    }
    struct pcap_pkthdr* header;
    const u_char* data;
    unsigned long long frames = 0, bytes = 0;
    int result;
    while ((result = pcap_next_ex(handle, &header, &data)) == 1) {
        ++frames;
        bytes += header->caplen + data[0] * 0;
    }
    if (result != PCAP_ERROR_BREAK) fprintf(stderr, "%s: %s\n", argv[1], pcap_geterr(handle));
    printf("%llu frames, %llu bytes\n", frames, bytes);
    pcap_close(handle);
    return result == PCAP_ERROR_BREAK ? 0 : 1;
}
