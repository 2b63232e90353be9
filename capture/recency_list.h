#pragma once

namespace trustcap {

// Links of an element of a RecencyList, held in the element itself.
template <typename Element>
struct RecencyLinks {
    Element* older = nullptr;
    Element* newer = nullptr;
    bool listed = false;
};

// The elements of one kind, least recently touched first: an intrusive
// doubly linked list (each Element has a `RecencyLinks<Element> recency`
// member), so touching, removing and finding the oldest cost O(1) and
// nothing is allocated. The list does not own its elements; an element is
// removed before it is destroyed.
template <typename Element>
class RecencyList {
public:
    // Appends `element` as the most recent (it must not be in a list).
    void push_newest(Element& element) {
        RecencyLinks<Element>& links = element.recency;
        links.older = newest_;
        links.newer = nullptr;
        links.listed = true;
        if (newest_) newest_->recency.newer = &element;
        newest_ = &element;
        if (!oldest_) oldest_ = &element;
    }

    // Takes `element` out of this list (it must be in it).
    void remove(Element& element) {
        RecencyLinks<Element>& links = element.recency;
        (links.older ? links.older->recency.newer : oldest_) = links.newer;
        (links.newer ? links.newer->recency.older : newest_) = links.older;
        links = {};
    }

    [[nodiscard]] Element* oldest() const { return oldest_; }
    [[nodiscard]] static Element* newer_than(const Element& element) { return element.recency.newer; }

private:
    Element* oldest_ = nullptr;
    Element* newest_ = nullptr;
};

}  // namespace trustcap
