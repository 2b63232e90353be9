#include "capture/decompressing_stream.h"

#include <array>
#include <cerrno>

#include <sys/types.h>

#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

namespace trustcap {
namespace {

constexpr int gzip_first_byte = 0x1f;
constexpr int zstd_first_byte = 0x28;
constexpr std::size_t input_chunk_bytes = 256 * 1024;
constexpr std::size_t output_buffer_bytes = 1 << 20;

// Reads the compressed file in chunks and decodes them into the reader's
// buffer; a decoder error ends the stream with `error` saying why.
class Decoder {
public:
    explicit Decoder(std::FILE* compressed) : compressed_(compressed) {}
    virtual ~Decoder() {
        if (owns_compressed_) std::fclose(compressed_);
    }
    // Once the decompressing stream is open, closing it closes the compressed file.
    void take_over_compressed() { owns_compressed_ = true; }
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    // Up to `size` decompressed bytes, as soon as there are some (a pipe's
    // frames are not held back to fill the buffer); 0 at the end; -1 (errno
    // EIO) once `error` is set and nothing more came before it.
    ssize_t read(char* out, std::size_t size) {
        if (!error.empty()) return fail();
        std::size_t produced = 0;
        while (produced == 0) {
            if (input_left() == 0 && !input_ended_) refill();
            if (!error.empty()) break;
            std::size_t made = decode(out + produced, size - produced);
            produced += made;
            if (!error.empty()) break;
            if (made == 0 && input_left() == 0 && input_ended_) {
                if (!at_boundary()) error = "the " + name() + " data ends early: the file is truncated";
                break;
            }
        }
        return produced > 0 ? static_cast<ssize_t>(produced) : (error.empty() ? 0 : fail());
    }

    std::string error;

protected:
    // Decodes from the input held into `out`; returns the bytes made (0 when
    // it needs more input).
    virtual std::size_t decode(char* out, std::size_t size) = 0;
    // Whether the input read so far ends where a member or frame ends.
    [[nodiscard]] virtual bool at_boundary() const = 0;
    [[nodiscard]] virtual std::string name() const = 0;

    [[nodiscard]] std::size_t input_left() const { return input_size_ - input_position_; }
    std::array<unsigned char, input_chunk_bytes> input_{};
    std::size_t input_size_ = 0;
    std::size_t input_position_ = 0;

private:
    void refill() {
        input_size_ = std::fread(input_.data(), 1, input_.size(), compressed_);
        input_position_ = 0;
        if (input_size_ == 0) {
            input_ended_ = true;
            if (std::ferror(compressed_) != 0) error = "cannot read the compressed file";
        }
    }
    static ssize_t fail() {
        errno = EIO;
        return -1;
    }

    std::FILE* compressed_;
    bool owns_compressed_ = false;
    bool input_ended_ = false;
};

class GzipDecoder final : public Decoder {
public:
    explicit GzipDecoder(std::FILE* compressed) : Decoder(compressed) {
        if (inflateInit2(&stream_, MAX_WBITS + 16) != Z_OK) error = "zlib cannot start";
    }
    ~GzipDecoder() override { inflateEnd(&stream_); }
    GzipDecoder(const GzipDecoder&) = delete;
    GzipDecoder& operator=(const GzipDecoder&) = delete;

private:
    std::size_t decode(char* out, std::size_t size) override {
        if (input_left() == 0) return 0;
        if (member_ended_) {
            // Zeros after a member are padding (tape blocks), which gzip -d ignores too.
            while (input_left() > 0 && input_[input_position_] == 0) ++input_position_;
            if (input_left() == 0) return 0;
            inflateReset(&stream_);  // another member follows, as `cat a.gz b.gz` makes
            member_ended_ = false;
        }
        stream_.next_in = input_.data() + input_position_;
        stream_.avail_in = static_cast<uInt>(input_left());
        stream_.next_out = reinterpret_cast<Bytef*>(out);
        stream_.avail_out = static_cast<uInt>(size);
        const int result = inflate(&stream_, Z_NO_FLUSH);
        input_position_ = input_size_ - stream_.avail_in;
        if (result == Z_STREAM_END) {
            member_ended_ = true;
        } else if (result != Z_OK && result != Z_BUF_ERROR) {
            error = std::string("the gzip data is corrupt (") + (stream_.msg != nullptr ? stream_.msg : "zlib error") + ")";
        }
        return size - stream_.avail_out;
    }
    [[nodiscard]] bool at_boundary() const override { return member_ended_; }
    [[nodiscard]] std::string name() const override { return "gzip"; }

    z_stream stream_{};
    bool member_ended_ = false;
};

class ZstdDecoder final : public Decoder {
public:
    explicit ZstdDecoder(std::FILE* compressed) : Decoder(compressed), context_(ZSTD_createDCtx()) {
        if (context_ == nullptr || ZSTD_isError(ZSTD_DCtx_setParameter(context_, ZSTD_d_windowLogMax, max_zstd_window_log)))
            error = "zstd cannot start";
    }
    ~ZstdDecoder() override { ZSTD_freeDCtx(context_); }
    ZstdDecoder(const ZstdDecoder&) = delete;
    ZstdDecoder& operator=(const ZstdDecoder&) = delete;

private:
    std::size_t decode(char* out, std::size_t size) override {
        // Without input, a finished frame has nothing left to flush; asked
        // again, zstd would be waiting for the next frame's header.
        if (input_left() == 0 && frame_ended_) return 0;
        ZSTD_inBuffer in{input_.data(), input_size_, input_position_};
        ZSTD_outBuffer decoded{out, size, 0};
        const std::size_t result = ZSTD_decompressStream(context_, &decoded, &in);
        input_position_ = in.pos;
        if (ZSTD_isError(result)) {
            error = std::string("the zstd data cannot be read (") + ZSTD_getErrorName(result) + ")";
            if (ZSTD_getErrorCode(result) == ZSTD_error_frameParameter_windowTooLarge)
                error += ": decompress it first with zstd -d --long=31";
        } else {
            frame_ended_ = result == 0;
        }
        return decoded.pos;
    }
    [[nodiscard]] bool at_boundary() const override { return frame_ended_; }
    [[nodiscard]] std::string name() const override { return "zstd"; }

    ZSTD_DCtx* context_;
    bool frame_ended_ = true;
};

int close_decoder(void* cookie) {
    delete static_cast<Decoder*>(cookie);
    return 0;
}

// A read-only FILE over the decoder: funopen on the BSDs and macOS, glibc's
// (and musl's) fopencookie elsewhere.
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__) || defined(__DragonFly__)
int read_decoded(void* cookie, char* out, int size) {
    return static_cast<int>(static_cast<Decoder*>(cookie)->read(out, static_cast<std::size_t>(size)));
}

std::FILE* open_decoded_file(Decoder* decoder) { return funopen(decoder, read_decoded, nullptr, nullptr, close_decoder); }
#else
ssize_t read_decoded(void* cookie, char* out, std::size_t size) { return static_cast<Decoder*>(cookie)->read(out, size); }

std::FILE* open_decoded_file(Decoder* decoder) {
    cookie_io_functions_t functions{read_decoded, nullptr, nullptr, close_decoder};
    return fopencookie(decoder, "rb", functions);
}
#endif

}  // namespace

Compression compression_of(std::FILE* file) {
    const int first = std::getc(file);
    if (first == EOF) return Compression::none;
    std::ungetc(first, file);
    if (first == gzip_first_byte) return Compression::gzip;
    if (first == zstd_first_byte) return Compression::zstd;
    return Compression::none;
}

std::optional<DecompressedStream> open_decompressed(std::FILE* compressed, Compression compression, std::string& error) {
    Decoder* decoder = nullptr;
    if (compression == Compression::gzip) decoder = new GzipDecoder(compressed);
    if (compression == Compression::zstd) decoder = new ZstdDecoder(compressed);
    if (decoder == nullptr) {
        error = "not a compressed file";
        return std::nullopt;
    }
    if (!decoder->error.empty()) {
        error = decoder->error;
        delete decoder;
        return std::nullopt;
    }
    std::FILE* file = open_decoded_file(decoder);
    if (file == nullptr) {
        error = "cannot open a decompressing stream";
        delete decoder;
        return std::nullopt;
    }
    decoder->take_over_compressed();
    std::setvbuf(file, nullptr, _IOFBF, output_buffer_bytes);
    return DecompressedStream{file, &decoder->error};
}

}  // namespace trustcap
