// Page orientation (0/90/180/270), decided once per page from what the models already give: the
// shape of the detected boxes tells a sideways page (most text boxes tall) from an upright or
// upside-down one, and the recognizer's confidence on a few lines read both ways round tells
// which end is up. `rotation` is the clockwise angle that turns the submitted image upright.
#pragma once
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/types.h"

namespace ocr {

// True when most of the page's elongated boxes stand on end (text runs up or down the page):
// boxes are weighted by their length; near-square boxes (single characters) do not count.
bool MostlyTall(const std::vector<Quad>& boxes);

// The lines the orientation vote reads turned round: up to `count` of the widest crops among
// `candidates` (indices into crops) that are at least three times as wide as they are tall.
std::vector<size_t> VoteSample(const std::vector<cv::Mat>& crops, const std::vector<size_t>& candidates, size_t count);

// The sample crops turned 180° and cut to at most maxAspect times their height (the vote needs a
// few words, not the whole line).
std::vector<cv::Mat> TurnedSample(const std::vector<cv::Mat>& crops, const std::vector<size_t>& sample, float maxAspect);

// The vote: the lines read better turned round than as they are, by their mean confidences.
// asRead[i] and turned[i] are the confidences of sample line i. True when more than half of the
// lines read better turned and the mean gain is at least `margin`.
bool TurnedWins(const std::vector<float>& asRead, const std::vector<float>& turned, float margin);

// The image turned clockwise by rotation (0/90/180/270) degrees.
cv::Mat TurnImage(const cv::Mat& image, int rotation);

// A point of the image turned by `rotation` mapped back to the image as submitted (w × h).
Point FromTurned(Point p, int rotation, int w, int h);

// Every box of the lines and their words mapped back (FromTurned); corner order is kept, so the
// first corner stays the text's own top-left.
void MapLinesBack(std::vector<Line>& lines, int rotation, int w, int h);

}  // namespace ocr
