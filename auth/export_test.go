package auth

// BcryptsForTest returns how many bcrypt comparisons p has made.
func BcryptsForTest(p *LinkPasswords) int64 { return p.bcrypts.Load() }

// WaitingUserReads is how many user reads wait in s's queue.
func WaitingUserReads(s *Service) int { return s.userReads.Waiting() }
