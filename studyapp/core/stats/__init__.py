"""Statistics: the queries over the review log and the charts drawn from them."""
