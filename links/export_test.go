package links

// WaitingCreates is how many creates wait in s's queue.
func WaitingCreates(s *Service) int {
	s.creates.mu.Lock()
	defer s.creates.mu.Unlock()
	return len(s.creates.waiting)
}
