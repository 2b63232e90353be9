#include "capture_inputs.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace trustcap {
namespace {

namespace fs = std::filesystem;

class CaptureInputsTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "trustcap-inputs-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        root_ = pattern;
    }
    void TearDown() override { fs::remove_all(root_); }

    std::string write(const std::string& name, const std::string& bytes) {
        fs::create_directories((root_ / name).parent_path());
        std::ofstream(root_ / name, std::ios::binary) << bytes;
        return (root_ / name).string();
    }

    fs::path root_;
};

const std::string pcap_header("\xd4\xc3\xb2\xa1\x02\x00\x04\x00", 8);
const std::string pcapng_header("\x0a\x0d\x0d\x0a\x1c\x00\x00\x00", 8);
const std::string gzip_header("\x1f\x8b\x08\x00", 4);
const std::string zstd_header("\x28\xb5\x2f\xfd", 4);

TEST_F(CaptureInputsTest, AFolderStandsForTheCapturesInItAndItsSubfolders) {
    const std::string b = write("b.pcap", pcap_header);
    const std::string a = write("a.cap", pcapng_header);
    const std::string deep = write("sub/deeper/c.pcap.gz", gzip_header);
    const std::string zstd = write("sub/d.zst", zstd_header);
    write("notes.txt", "not a capture");
    write("empty.pcap", "");
    write(".hidden.pcap", pcap_header);
    write(".git/e.pcap", pcap_header);
    CaptureInputs inputs = expand_capture_inputs({root_.string()});
    ASSERT_EQ(inputs.captures.size(), 4u);
    EXPECT_EQ(inputs.captures[0].path, a);
    EXPECT_EQ(inputs.captures[1].path, b);
    EXPECT_EQ(inputs.captures[2].path, zstd);  // in the order of the paths' characters: "." before "e"
    EXPECT_EQ(inputs.captures[3].path, deep);
    for (const CaptureInput& input : inputs.captures) EXPECT_TRUE(input.error.empty());
    EXPECT_EQ(inputs.skipped_in_folders, 2u);  // notes.txt and the empty file
}

TEST_F(CaptureInputsTest, FilesNamedAreTakenAsGivenInTheirOrder) {
    const std::string text = write("z.txt", "not a capture");
    const std::string capture = write("a.pcap", pcap_header);
    CaptureInputs inputs = expand_capture_inputs({text, "-", capture, (root_ / "missing.pcap").string()});
    ASSERT_EQ(inputs.captures.size(), 4u);
    EXPECT_EQ(inputs.captures[0].path, text);
    EXPECT_EQ(inputs.captures[1].path, "-");
    EXPECT_EQ(inputs.captures[2].path, capture);
    EXPECT_EQ(inputs.captures[3].path, (root_ / "missing.pcap").string());
    EXPECT_EQ(inputs.skipped_in_folders, 0u);
}

TEST_F(CaptureInputsTest, ALinkToAFolderIsNotFollowed) {
    write("inside/a.pcap", pcap_header);
    fs::create_directories(root_ / "walked");
    fs::create_directory_symlink(root_, root_ / "walked" / "loop");
    write("walked/b.pcap", pcap_header);
    CaptureInputs inputs = expand_capture_inputs({(root_ / "walked").string()});
    ASSERT_EQ(inputs.captures.size(), 1u);
    EXPECT_EQ(inputs.captures[0].path, (root_ / "walked" / "b.pcap").string());
}

// Root lists every folder: the walk is made by an unprivileged child then.
TEST_F(CaptureInputsTest, AFolderThatCannotBeListedIsAnInputThatSaysSo) {
    write("a.pcap", pcap_header);
    write("locked/b.pcap", pcap_header);
    write("z.pcap", pcap_header);
    fs::permissions(root_, fs::perms::all);
    fs::permissions(root_ / "locked", fs::perms::none);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        constexpr uid_t nobody = 65534;
        if (geteuid() == 0 && (setgid(nobody) != 0 || setuid(nobody) != 0)) _exit(3);
        CaptureInputs inputs = expand_capture_inputs({root_.string()});
        const bool as_said = inputs.captures.size() == 3 && inputs.captures[0].path == (root_ / "a.pcap").string() &&
                             inputs.captures[1].path == (root_ / "locked").string() &&
                             inputs.captures[1].error == "cannot list the folder: Permission denied" &&
                             inputs.captures[2].path == (root_ / "z.pcap").string();
        _exit(as_said ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    fs::permissions(root_ / "locked", fs::perms::owner_all);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the walk did not list a.pcap, the locked folder with its error, z.pcap";
}

TEST(StartsAsCapture, AFileThatCannotBeReadSaysWhy) {
    std::string error;
    EXPECT_EQ(starts_as_capture("/nonexistent/file.pcap", error), std::nullopt);
    EXPECT_EQ(error, "No such file or directory");
}

TEST_F(CaptureInputsTest, LinksInAFolderAreNotFollowedAndUnreadableCapturesSayWhy) {
    const std::string target = write("elsewhere/secret.pcap", pcap_header);
    write("walked/a.pcap", pcap_header);
    const std::string locked = write("walked/locked.pcap", pcap_header);
    fs::create_symlink(target, root_ / "walked" / "link.pcap");
    fs::permissions(root_, fs::perms::all);
    fs::permissions(root_ / "walked", fs::perms::all);
    fs::permissions(locked, fs::perms::owner_read);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        constexpr uid_t nobody = 65534;
        if (geteuid() == 0 && (setgid(nobody) != 0 || setuid(nobody) != 0)) _exit(3);
        CaptureInputs inputs = expand_capture_inputs({(root_ / "walked").string()});
        const bool as_said = inputs.captures.size() == 2 && inputs.captures[0].path == (root_ / "walked" / "a.pcap").string() &&
                             inputs.captures[0].error.empty() && inputs.captures[1].path == locked &&
                             inputs.captures[1].error == "Permission denied" && inputs.skipped_in_folders == 1;
        _exit(as_said ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: not a.pcap, locked.pcap with its error and the link left out";
}

}  // namespace
}  // namespace trustcap
