package command

var keyCommands = []Spec{}
