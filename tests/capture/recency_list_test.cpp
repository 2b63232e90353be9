#include "capture/recency_list.h"

#include <gtest/gtest.h>

#include <vector>

namespace trustcap {
namespace {

struct Item {
    int id = 0;
    RecencyLinks<Item> recency;
};

std::vector<int> oldest_first(const RecencyList<Item>& list) {
    std::vector<int> ids;
    for (const Item* item = list.oldest(); item; item = RecencyList<Item>::newer_than(*item)) ids.push_back(item->id);
    return ids;
}

TEST(RecencyListTest, KeepsTheOrderOfTouches) {
    std::vector<Item> items{{1, {}}, {2, {}}, {3, {}}};
    RecencyList<Item> list;
    for (Item& item : items) list.push_newest(item);
    EXPECT_EQ(oldest_first(list), (std::vector<int>{1, 2, 3}));

    list.remove(items[0]);  // touched again: to the newest end
    list.push_newest(items[0]);
    EXPECT_EQ(oldest_first(list), (std::vector<int>{2, 3, 1}));
    EXPECT_TRUE(items[0].recency.listed);
}

TEST(RecencyListTest, RemovesFromEitherEndAndTheMiddle) {
    std::vector<Item> items{{1, {}}, {2, {}}, {3, {}}, {4, {}}};
    RecencyList<Item> list;
    for (Item& item : items) list.push_newest(item);
    list.remove(items[1]);
    EXPECT_EQ(oldest_first(list), (std::vector<int>{1, 3, 4}));
    list.remove(items[0]);
    EXPECT_EQ(oldest_first(list), (std::vector<int>{3, 4}));
    list.remove(items[3]);
    EXPECT_EQ(oldest_first(list), (std::vector<int>{3}));
    EXPECT_FALSE(items[3].recency.listed);
    list.remove(items[2]);
    EXPECT_EQ(list.oldest(), nullptr);
    list.push_newest(items[3]);  // an emptied list takes elements again
    EXPECT_EQ(oldest_first(list), (std::vector<int>{4}));
}

}  // namespace
}  // namespace trustcap
