"""What a learner sees and plays with: tables and widgets over plain functions."""
