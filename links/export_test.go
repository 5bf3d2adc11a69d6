package links

// WaitingCreates is how many creates wait in s's queue.
func WaitingCreates(s *Service) int {
	return s.creates.groups.Waiting()
}
