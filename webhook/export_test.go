package webhook

// Describe is describe, for the tests of package webhook_test.
var Describe = describe
